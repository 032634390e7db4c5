-- Verify integration-sync:trigger_integration_health_status_history on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_status'::regclass AND tgname = 'integration_health_status_history'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER integration_health_status_history AFTER INSERT OR UPDATE OF status, latency_ms, checked_at, error_message ON public.integration_health_status FOR EACH ROW WHEN ((new.status IS NOT NULL)) EXECUTE FUNCTION integration_ops.trigger_health_history()';
ROLLBACK;
