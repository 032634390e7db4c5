-- Revert integration-sync:cron_job_dispatch_due_syncs from pg
BEGIN;
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_dispatch_due_syncs';
COMMIT;
