-- Verify integration-sync:constraint_sync_run_log_checks_validate on pg
-- Raises whatever the settings: 1/0 when a check is not validated.
BEGIN;
SELECT 1/(pg_catalog.count(*) = 3)::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND convalidated
   AND conname IN ('sync_run_log_attempt_check', 'sync_run_log_status_check',
                   'sync_run_log_ended_at_when_finished');
ROLLBACK;
