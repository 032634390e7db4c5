-- Revert integration-sync:cron_job_cleanup_health_history from pg
BEGIN;
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_cleanup_health_history';
COMMIT;
