-- Verify integration-sync:trigger_organization_integrations_pending_runs on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass
   AND tgname = 'organization_integrations_pending_runs' AND tgenabled <> 'D';
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass
   AND tgname = 'organization_integrations_pending_runs_removed' AND tgenabled <> 'D';
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.settle_pending_sync_runs()', 'execute'))::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.settle_pending_sync_runs()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_pending_runs_removed'
   AND tgenabled = 'O' AND NOT tgisinternal;
ROLLBACK;
