-- Verify integration-sync:index_sync_run_log_running_type on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.sync_run_log_running_type_idx'::regclass AND indisvalid;
ROLLBACK;
