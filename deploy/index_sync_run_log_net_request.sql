-- Deploy integration-sync:index_sync_run_log_net_request to pg
-- requires: table_sync_run_log
-- 0.3 (issue 24): running pg_net runs by their pg_net request id, so the reconciler reads
-- only new responses (by pg_net's `created` index) and finds each one's run by this index:
-- O(new responses), never a scan of pg_net's response table. Neither key nor predicate
-- holds heartbeat_at (heartbeats stay HOT).
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX: deploy scripts are transactions; partial on running pg_net runs (few).
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS sync_run_log_net_request_idx
  ON public.sync_run_log (net_request_id) WHERE status = 'running' AND net_request_id IS NOT NULL;
COMMENT ON INDEX public.sync_run_log_net_request_idx IS
  'Running pg_net runs by request id (the reconciler''s probe from a new response).';
COMMIT;
