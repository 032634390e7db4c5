-- Revert integration-sync:function_fail_sync_run from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.fail_sync_run(uuid, text, text);
COMMIT;
