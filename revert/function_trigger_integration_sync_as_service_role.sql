-- Revert integration-sync:function_trigger_integration_sync_as_service_role from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.trigger_integration_sync_as_service_role(uuid, text);
COMMIT;
