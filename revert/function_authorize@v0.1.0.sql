-- Revert integration-sync:function_authorize from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.require_org_access(uuid, text[], boolean);
DROP FUNCTION IF EXISTS integration_ops.require_caller();
COMMIT;
