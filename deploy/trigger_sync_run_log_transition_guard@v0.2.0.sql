-- Deploy integration-sync:trigger_sync_run_log_transition_guard to pg
-- requires: table_sync_run_log function_raise_error
-- Only the transitions of the contract, whoever writes (the package's functions,
-- service_role through PostgREST, a DBA):
--   pending -> running | cancelled | failed   (failed only for a delivery that failed at
--                                               once: delivery_error, pg_net_unavailable,
--                                               no_endpoint)
--   running -> completed | failed | cancelled (running -> running is a progress update)
-- Finished runs never change status again.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.guard_sync_run_transition()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF (OLD.status = 'pending' AND NEW.status IN ('running', 'cancelled'))
     OR (OLD.status = 'pending' AND NEW.status = 'failed'
         AND NEW.error_code IN ('delivery_error', 'pg_net_unavailable', 'no_endpoint'))
     OR (OLD.status = 'running' AND NEW.status IN ('completed', 'failed', 'cancelled')) THEN
    RETURN NEW;
  END IF;
  PERFORM integration_ops.raise_error('invalid_transition',
    format('Run %s cannot go from %s to %s.', OLD.id, OLD.status, left(NEW.status, 20)));
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.guard_sync_run_transition() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.guard_sync_run_transition() IS
  'Trigger: refuses (invalid_transition, PT409) any status change of sync_run_log outside pending -> running|cancelled|failed(delivery failure) and running -> completed|failed|cancelled.';

DROP TRIGGER IF EXISTS sync_run_log_transition_guard ON public.sync_run_log;
CREATE TRIGGER sync_run_log_transition_guard
  BEFORE UPDATE OF status ON public.sync_run_log
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION integration_ops.guard_sync_run_transition();

COMMIT;
