-- Deploy integration-sync:trigger_integration_health_status_history to pg
-- requires: function_trigger_health_history table_integration_health_status
-- 0.3 (issue 25): one object, one change. The trigger integration_health_status_history was
-- created by the released scripts of function_trigger_health_history
-- (deploy/function_trigger_health_history@v0.1.0.sql, @v0.2.0.sql); its 0.3 rework (issue
-- 21) redefines only the function, so until this change no live script created it. This is
-- its released definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS integration_health_status_history ON public.integration_health_status;
CREATE TRIGGER integration_health_status_history
  AFTER INSERT OR UPDATE OF status, latency_ms, checked_at, error_message
  ON public.integration_health_status
  FOR EACH ROW
  WHEN (NEW.status IS NOT NULL)
  EXECUTE FUNCTION integration_ops.trigger_health_history();
COMMIT;
