-- Deploy integration-sync:trigger_sync_run_log_transition_guard to pg
-- requires: trigger_sync_run_log_transition_guard@v0.2.0 function_guard_sync_run_transition
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.guard_sync_run_transition -> function_guard_sync_run_transition
-- The released scripts: deploy/trigger_sync_run_log_transition_guard@v0.2.0.sql (frozen); a
-- deploy runs them first, so every object named here exists before this rework, which
-- restates only what is this change's own.
-- Only the transitions of the contract, whoever writes (the package's functions,
-- service_role through PostgREST, a DBA):
--   pending -> running | cancelled | failed   (failed only for a delivery that failed at
--                                               once: delivery_error, pg_net_unavailable,
--                                               no_endpoint)
--   running -> completed | failed | cancelled (running -> running is a progress update)
-- Finished runs never change status again.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS sync_run_log_transition_guard ON public.sync_run_log;
CREATE TRIGGER sync_run_log_transition_guard
  BEFORE UPDATE OF status ON public.sync_run_log
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION integration_ops.guard_sync_run_transition();

COMMIT;
