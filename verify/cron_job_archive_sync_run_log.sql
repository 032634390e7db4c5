-- Verify integration-sync:cron_job_archive_sync_run_log on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_archive_sync_run_log' AND schedule = '17 3 * * *'
   AND command = 'CALL integration_ops.archive_sync_run_log_backlog()';
ROLLBACK;
