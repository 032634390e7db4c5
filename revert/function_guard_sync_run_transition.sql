-- Revert integration-sync:function_guard_sync_run_transition from pg: restore the 0.2 definition
-- (created by trigger_sync_run_log_transition_guard), its privileges and comment.
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
REVOKE ALL ON FUNCTION integration_ops.guard_sync_run_transition() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.guard_sync_run_transition() IS
  'Trigger: refuses (invalid_transition, PT409) any status change of sync_run_log outside pending -> running|cancelled|failed(delivery failure) and running -> completed|failed|cancelled.';

COMMIT;
