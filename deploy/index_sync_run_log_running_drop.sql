-- Deploy integration-sync:index_sync_run_log_running_drop to pg
-- requires: table_sync_run_log function_reap_stale_sync_runs
-- 0.2 (issue 16): sync_run_log_running_idx (coalesce(heartbeat_at, started_at)) WHERE
-- status = 'running' does not pay for itself. Its key contains heartbeat_at, so no heartbeat
-- can be a HOT update: every heartbeat wrote a new entry into every index of the table.
-- Measured (make bench, 1,000 running runs x 5 heartbeat rounds): 58 us per heartbeat and 0%
-- HOT with it, 27 us and 40% HOT without, 0.6-0.7x the WAL. Its only readers, the reaper
-- and the pg_net reconciler, find running runs through sync_run_log_one_active_per_pair
-- (pending and running runs only: as small). It also misled the planner into walking every
-- running run for an `id = $1 AND status = 'running'` guard.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- A plain DROP takes sync_run_log's ACCESS EXCLUSIVE lock for the moment the catalog needs
-- (bounded by lock_timeout); the index is tiny (running runs only), and CONCURRENTLY cannot
-- run inside Sqitch's transaction.
-- squawk-ignore require-concurrent-index-deletion
DROP INDEX IF EXISTS public.sync_run_log_running_idx;

COMMIT;
