-- Revert integration-sync:function_heartbeat_sync_runs from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.heartbeat_sync_runs(text, uuid[]);
COMMIT;
