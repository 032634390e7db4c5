-- Deploy integration-sync:function_sync_run_outcome_to_health to pg
-- requires: trigger_sync_run_log_passive_health
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_sync_run_log_passive_health. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sync_run_outcome_to_health()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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

COMMIT;
