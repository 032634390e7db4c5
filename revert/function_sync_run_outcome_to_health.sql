-- Revert integration-sync:function_sync_run_outcome_to_health from pg: restore the 0.2 definition
-- (created by trigger_sync_run_log_passive_health), its privileges and comment.
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
REVOKE ALL ON FUNCTION integration_ops.sync_run_outcome_to_health() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.sync_run_outcome_to_health() IS
  'Trigger: a run that turns completed or failed reports to passive health (record_sync_outcome_health).';

COMMIT;
