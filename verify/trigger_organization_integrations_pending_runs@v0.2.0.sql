-- Verify integration-sync:trigger_organization_integrations_pending_runs on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass
   AND tgname = 'organization_integrations_pending_runs' AND tgenabled <> 'D';
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass
   AND tgname = 'organization_integrations_pending_runs_removed' AND tgenabled <> 'D';
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.settle_pending_sync_runs()', 'execute'))::int;
ROLLBACK;
