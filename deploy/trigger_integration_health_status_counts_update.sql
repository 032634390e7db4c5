-- Deploy integration-sync:trigger_integration_health_status_counts_update to pg
-- requires: table_health_status_counts function_trigger_health_status_counts
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- integration_health_status_counts_update was created by table_health_status_counts
-- (deploy/table_health_status_counts@v0.2.0.sql); this is its released definition, so a
-- database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS integration_health_status_counts_update ON public.integration_health_status;
CREATE TRIGGER integration_health_status_counts_update
  AFTER UPDATE ON public.integration_health_status
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                     OR OLD.integration_type IS DISTINCT FROM NEW.integration_type)
  EXECUTE FUNCTION integration_ops.trigger_health_status_counts();
COMMIT;
