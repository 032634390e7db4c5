-- Revert integration-sync:cron_job_reconcile_pg_net_responses from pg
BEGIN;
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_reconcile_pg_net_responses';
COMMIT;
