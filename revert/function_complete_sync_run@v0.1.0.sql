-- Revert integration-sync:function_complete_sync_run from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.complete_sync_run(uuid, integer, integer);
COMMIT;
