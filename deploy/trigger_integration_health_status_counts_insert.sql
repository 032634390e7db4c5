-- Deploy integration-sync:trigger_integration_health_status_counts_insert to pg
-- requires: table_health_status_counts function_trigger_health_status_counts
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- integration_health_status_counts_insert was created by table_health_status_counts
-- (deploy/table_health_status_counts@v0.2.0.sql); this is its released definition, so a
-- database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- Triggers first (their CREATE locks out status writes until COMMIT), then the count.
DROP TRIGGER IF EXISTS integration_health_status_counts_insert ON public.integration_health_status;
CREATE TRIGGER integration_health_status_counts_insert
  AFTER INSERT ON public.integration_health_status
  FOR EACH ROW WHEN (NEW.status IS NOT NULL)
  EXECUTE FUNCTION integration_ops.trigger_health_status_counts();
COMMIT;
