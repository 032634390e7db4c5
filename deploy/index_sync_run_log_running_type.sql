-- Deploy integration-sync:index_sync_run_log_running_type to pg
-- requires: table_sync_run_log
-- 0.3 (issue 22): runs in flight per integration type, counted by the claim and the pg_net
-- wake-up against integration_types.max_concurrent_runs (bounded by the cap, never by the
-- queue). Neither key nor predicate holds heartbeat_at, so heartbeats stay HOT updates
-- (0.2 dropped sync_run_log_running_idx for holding it).
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX: deploy scripts are transactions; partial on running runs (few).
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS sync_run_log_running_type_idx
  ON public.sync_run_log (integration_type) WHERE status = 'running';
COMMENT ON INDEX public.sync_run_log_running_type_idx IS
  'Running runs per integration type (flow control, the reaper).';
COMMIT;
