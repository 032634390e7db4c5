-- Revert integration-sync:function_trigger_health_history from pg
BEGIN;
DROP TRIGGER IF EXISTS integration_health_status_history ON public.integration_health_status;
DROP FUNCTION IF EXISTS integration_ops.trigger_health_history();
COMMIT;
