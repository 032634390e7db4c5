-- Revert integration-sync:trigger_organization_integrations_warmup_job from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_warmup_job ON public.organization_integrations;
DROP FUNCTION IF EXISTS integration_ops.sync_warmup_job_activity();
-- Back to the job as cron_job_send_pg_net_warmups left it: always active.
SELECT cron.alter_job(job_id => j.jobid, active => true)
  FROM cron.job AS j WHERE j.jobname = 'integration_send_pg_net_warmups';
COMMIT;
