-- Deploy integration-sync:function_settle_pending_sync_runs to pg
-- requires: trigger_organization_integrations_pending_runs function_lock_pair function_finish_sync_run function_wake_sync_delivery
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_pending_runs. Reverting restores that definition.
-- 0.3 (issue 22, DESIGN §13 "One pair lock"): takes integration_ops.lock_pair first.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.settle_pending_sync_runs()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_id uuid;
BEGIN
  -- 0.3: under the pair lock, so a manual trigger, a retry or insert_run_log racing this
  -- change either ran before it (and its pending run is settled here) or sees its outcome
  -- (and starts nothing on a disabled or removed pair).
  PERFORM integration_ops.lock_pair(OLD.org_id, OLD.integration_type);
  IF TG_OP = 'DELETE' OR NOT NEW.enabled THEN
    FOR v_id IN
      SELECT r.id FROM public.sync_run_log AS r
       WHERE r.org_id = OLD.org_id AND r.integration_type = OLD.integration_type
         AND r.status = 'pending'
         FOR UPDATE
    LOOP
      IF TG_OP = 'DELETE' THEN
        PERFORM integration_ops.finish_sync_run(v_id, 'cancelled', NULL, NULL, 'integration_removed',
          'The integration was removed before the run started.');
      ELSE
        PERFORM integration_ops.finish_sync_run(v_id, 'cancelled', NULL, NULL, 'integration_disabled',
          'The integration was disabled before the run started.');
      END IF;
    END LOOP;
  ELSIF NEW.delivery IS DISTINCT FROM OLD.delivery THEN
    -- re-routed at once (a retry still waiting keeps its not_before)
    PERFORM integration_ops.wake_sync_delivery(ARRAY(
      SELECT r.id FROM public.sync_run_log AS r
       WHERE r.org_id = NEW.org_id AND r.integration_type = NEW.integration_type
         AND r.status = 'pending'));
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.settle_pending_sync_runs() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.settle_pending_sync_runs() IS
  'Trigger: a pair''s pending run is cancelled when the pair is disabled (integration_disabled) or deleted (integration_removed), and handed to the new delivery path when delivery changes.';

COMMIT;
