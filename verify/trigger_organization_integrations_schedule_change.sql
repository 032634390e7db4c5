-- Verify integration-sync:trigger_organization_integrations_schedule_change on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_schedule_change'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER organization_integrations_schedule_change BEFORE UPDATE ON public.organization_integrations FOR EACH ROW WHEN (((new.sync_interval IS DISTINCT FROM old.sync_interval) OR (new.sync_anchor IS DISTINCT FROM old.sync_anchor) OR (new.enabled AND (NOT old.enabled)) OR (new.next_sync_at IS NULL) OR (new.sync_interval IS NULL))) EXECUTE FUNCTION integration_ops.set_next_sync_at()';
ROLLBACK;
