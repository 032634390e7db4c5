-- Revert integration-sync:cron_job_refresh_engine_stats from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_refresh_engine_stats';
COMMIT;
