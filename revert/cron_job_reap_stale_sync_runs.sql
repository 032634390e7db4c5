-- Revert integration-sync:cron_job_reap_stale_sync_runs from pg
BEGIN;
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_reap_stale_sync_runs';
COMMIT;
