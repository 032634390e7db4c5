-- Revert integration-sync:function_finish_sync_runs from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.finish_sync_runs(text, jsonb);
COMMIT;
