-- Deploy integration-sync:trigger_integration_health_status_sanitize to pg
-- requires: table_integration_health_status function_sanitize_health_error_message
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- integration_health_status_sanitize was created by table_integration_health_status
-- (deploy/table_integration_health_status@v0.2.0.sql); this is its released definition, so
-- a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS integration_health_status_sanitize ON public.integration_health_status;
CREATE TRIGGER integration_health_status_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON public.integration_health_status
  FOR EACH ROW EXECUTE FUNCTION integration_ops.sanitize_health_error_message();
COMMIT;
