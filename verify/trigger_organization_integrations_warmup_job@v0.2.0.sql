-- Verify integration-sync:trigger_organization_integrations_warmup_job on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgname = 'organization_integrations_warmup_job'
   AND tgrelid = 'public.organization_integrations'::regclass
   AND tgfoid = 'integration_ops.sync_warmup_job_activity()'::regprocedure
   AND tgenabled <> 'D';
-- The flag matches the pairs.
SELECT 1/COUNT(*) FROM cron.job AS j
 WHERE j.jobname = 'integration_send_pg_net_warmups'
   AND j.active = EXISTS (SELECT FROM public.organization_integrations AS x
                           WHERE x.warmup_url IS NOT NULL AND x.delivery = 'pg_net' AND x.enabled);
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.sync_warmup_job_activity()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.sync_warmup_job_activity()', 'execute'))::int;
ROLLBACK;
