-- Revert integration-sync:function_settle_pending_sync_runs from pg: restore the 0.2 definition
-- (created by trigger_organization_integrations_pending_runs), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.settle_pending_sync_runs()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_id uuid;
BEGIN
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
    PERFORM integration_ops.wake_sync_delivery(ARRAY(
      SELECT r.id FROM public.sync_run_log AS r
       WHERE r.org_id = NEW.org_id AND r.integration_type = NEW.integration_type
         AND r.status = 'pending'));
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.settle_pending_sync_runs() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.settle_pending_sync_runs() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.settle_pending_sync_runs() IS
  'Trigger: a pair''s pending run is cancelled when the pair is disabled (integration_disabled) or deleted (integration_removed), and handed to the new delivery path when delivery changes.';

COMMIT;
