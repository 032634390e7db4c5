-- Deploy integration-sync:trigger_sync_run_log_passive_health to pg
-- requires: table_sync_run_log function_record_sync_outcome_health
-- Passive health hears of every run that ends completed or failed, whatever path ended it
-- (worker RPCs, update_run_log_status, the reaper, the pg_net reconciler, a delivery that
-- failed at once, a direct service_role UPDATE). record_sync_outcome_health is a no-op for
-- pairs that are not in passive mode.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sync_run_outcome_to_health()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM integration_ops.record_sync_outcome_health(
    NEW.org_id, NEW.integration_type, NEW.status = 'completed', NEW.error_message);
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sync_run_outcome_to_health() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sync_run_outcome_to_health() IS
  'Trigger: a run that turns completed or failed reports to passive health (record_sync_outcome_health).';

DROP TRIGGER IF EXISTS sync_run_log_passive_health ON public.sync_run_log;
CREATE TRIGGER sync_run_log_passive_health
  AFTER UPDATE OF status ON public.sync_run_log
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'failed'))
  EXECUTE FUNCTION integration_ops.sync_run_outcome_to_health();

COMMIT;
