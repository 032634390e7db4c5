-- Deploy integration-sync:trigger_sync_run_log_passive_health to pg
-- requires: trigger_sync_run_log_passive_health@v0.2.0 function_sync_run_outcome_to_health
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.sync_run_outcome_to_health -> function_sync_run_outcome_to_health
-- The released scripts: deploy/trigger_sync_run_log_passive_health@v0.2.0.sql (frozen); a
-- deploy runs them first, so every object named here exists before this rework, which
-- restates only what is this change's own.
-- Passive health hears of every run that ends completed or failed, whatever path ended it
-- (worker RPCs, update_run_log_status, the reaper, the pg_net reconciler, a delivery that
-- failed at once, a direct service_role UPDATE). record_sync_outcome_health is a no-op for
-- pairs that are not in passive mode.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS sync_run_log_passive_health ON public.sync_run_log;
CREATE TRIGGER sync_run_log_passive_health
  AFTER UPDATE OF status ON public.sync_run_log
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'failed'))
  EXECUTE FUNCTION integration_ops.sync_run_outcome_to_health();

COMMIT;
