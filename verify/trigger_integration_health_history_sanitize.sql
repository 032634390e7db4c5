-- Verify integration-sync:trigger_integration_health_history_sanitize on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_history'::regclass AND tgname = 'integration_health_history_sanitize'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER integration_health_history_sanitize BEFORE INSERT OR UPDATE OF error_message ON public.integration_health_history FOR EACH ROW WHEN ((new.error_message IS NOT NULL)) EXECUTE FUNCTION integration_ops.sanitize_error_message()';
ROLLBACK;
