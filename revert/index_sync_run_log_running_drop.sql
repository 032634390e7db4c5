-- Revert integration-sync:index_sync_run_log_running_drop from pg: the 0.1 index again
BEGIN;
SET LOCAL lock_timeout = '5s';
CREATE INDEX IF NOT EXISTS sync_run_log_running_idx
  ON public.sync_run_log (coalesce(heartbeat_at, started_at)) WHERE status = 'running';
COMMIT;
