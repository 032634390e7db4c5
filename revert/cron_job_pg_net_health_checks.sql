-- Revert integration-sync:cron_job_pg_net_health_checks from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_pg_net_health_checks';
COMMIT;
