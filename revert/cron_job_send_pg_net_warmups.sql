-- Revert integration-sync:cron_job_send_pg_net_warmups from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'integration_send_pg_net_warmups';
COMMIT;
