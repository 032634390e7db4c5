-- Revert integration-sync:function_finish_sync_run from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.finish_sync_run(uuid, text, integer, integer, text, text);
COMMIT;
