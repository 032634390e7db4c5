-- Revert integration-sync:function_get_stale_pending_sync_runs from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.get_stale_pending_sync_runs();
COMMIT;
