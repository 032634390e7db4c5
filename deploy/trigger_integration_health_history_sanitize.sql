-- Deploy integration-sync:trigger_integration_health_history_sanitize to pg
-- requires: trigger_error_text_sanitize function_sanitize_error_message
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- integration_health_history_sanitize was created by trigger_error_text_sanitize
-- (deploy/trigger_error_text_sanitize@v0.2.0.sql); this is its released definition, so a
-- database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS integration_health_history_sanitize ON public.integration_health_history;
CREATE TRIGGER integration_health_history_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON public.integration_health_history
  FOR EACH ROW WHEN (NEW.error_message IS NOT NULL)
  EXECUTE FUNCTION integration_ops.sanitize_error_message();
COMMIT;
