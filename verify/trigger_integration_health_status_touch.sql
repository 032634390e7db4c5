-- Verify integration-sync:trigger_integration_health_status_touch on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_status'::regclass AND tgname = 'integration_health_status_touch'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER integration_health_status_touch BEFORE UPDATE ON public.integration_health_status FOR EACH ROW EXECUTE FUNCTION integration_ops.touch_updated_at()';
ROLLBACK;
