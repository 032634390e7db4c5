-- Verify integration-sync:trigger_organization_integrations_pending_runs_removed on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_pending_runs_removed'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER organization_integrations_pending_runs_removed AFTER DELETE ON public.organization_integrations FOR EACH ROW EXECUTE FUNCTION integration_ops.settle_pending_sync_runs()';
ROLLBACK;
