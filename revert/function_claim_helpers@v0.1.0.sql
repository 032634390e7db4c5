-- Revert integration-sync:function_claim_helpers from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.is_service_role();
DROP FUNCTION IF EXISTS integration_ops.is_global_admin();
DROP FUNCTION IF EXISTS integration_ops.jwt_org_id();
DROP FUNCTION IF EXISTS integration_ops.jwt_sub();
DROP FUNCTION IF EXISTS integration_ops.jwt_uuid_claim(text);
COMMIT;
