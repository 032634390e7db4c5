-- Revert integration-sync:index_sync_run_log_running_type from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP INDEX IF EXISTS public.sync_run_log_running_type_idx;
COMMIT;
