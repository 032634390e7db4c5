-- Deploy integration-sync:cron_job_archive_sync_run_log to pg
-- requires: cron_job_archive_sync_run_log@v0.1.0 procedure_archive_sync_run_log_backlog
-- 0.2: the daily archival job calls the procedure that commits between batches
-- (cron.schedule upserts by job name).
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_archive_sync_run_log', '17 3 * * *',
  'CALL integration_ops.archive_sync_run_log_backlog()');
COMMIT;
