-- Verify integration-sync:trigger_integration_health_status_counts_delete on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_status'::regclass AND tgname = 'integration_health_status_counts_delete'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER integration_health_status_counts_delete AFTER DELETE ON public.integration_health_status FOR EACH ROW WHEN ((old.status IS NOT NULL)) EXECUTE FUNCTION integration_ops.trigger_health_status_counts()';
ROLLBACK;
