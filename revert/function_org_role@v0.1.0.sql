-- Revert integration-sync:function_org_role from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.jwt_org_role();
DROP FUNCTION IF EXISTS integration_ops.org_role(uuid);
COMMIT;
