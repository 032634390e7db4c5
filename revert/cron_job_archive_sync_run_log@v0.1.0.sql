-- Revert integration-sync:cron_job_archive_sync_run_log from pg
BEGIN;
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_archive_sync_run_log';
COMMIT;
