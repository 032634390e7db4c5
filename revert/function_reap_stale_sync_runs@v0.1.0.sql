-- Revert integration-sync:function_reap_stale_sync_runs from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.reap_stale_sync_runs();
COMMIT;
