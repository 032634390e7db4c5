-- Verify integration-sync:index_sync_run_log_running_drop on pg
BEGIN;
SELECT 1/(to_regclass('public.sync_run_log_running_idx') IS NULL)::int;
-- The reaper's path stays indexed: the partial index of pending and running runs.
SELECT 1/(to_regclass('public.sync_run_log_one_active_per_pair') IS NOT NULL)::int;
ROLLBACK;
