-- Revert integration-sync:table_sync_run_log_cold_start from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE integration_ops.sync_run_log_archive DROP COLUMN IF EXISTS cold_start;
ALTER TABLE public.sync_run_log DROP COLUMN IF EXISTS cold_start;
COMMIT;
