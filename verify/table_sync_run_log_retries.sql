-- Verify integration-sync:table_sync_run_log_retries on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT attempt, retry_of, not_before FROM public.sync_run_log WHERE false;
SELECT attempt, retry_of, not_before FROM integration_ops.sync_run_log_archive WHERE false;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND conname = 'sync_run_log_status_check'
   AND pg_catalog.pg_get_constraintdef(oid) LIKE '%skipped%';
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND conname = 'sync_run_log_ended_at_when_finished'
   AND pg_catalog.pg_get_constraintdef(oid) LIKE '%skipped%';
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND conname = 'sync_run_log_attempt_check';
ROLLBACK;
