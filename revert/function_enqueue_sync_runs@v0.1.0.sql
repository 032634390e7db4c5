-- Revert integration-sync:function_enqueue_sync_runs from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[]);
DROP FUNCTION IF EXISTS integration_ops.sync_pair_lock_key(uuid, text);
COMMIT;
