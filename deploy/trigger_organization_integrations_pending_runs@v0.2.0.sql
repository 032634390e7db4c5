-- Deploy integration-sync:trigger_organization_integrations_pending_runs to pg
-- requires: table_organization_integrations function_wake_sync_delivery function_finish_sync_run
-- A pending run always reaches an end, whatever happens to its pair meanwhile:
--   * pair disabled  -> the pending run is cancelled, error_code integration_disabled;
--   * pair deleted   -> cancelled, integration_removed;
--   * delivery switched (worker <-> pg_net) -> handed to the new path at once
--     (wake_sync_delivery: NOTIFY for the worker, net.http_post for pg_net).
-- Running runs are left to their worker (or the reaper). Each goes through the one finish
-- path, so the transition guard and passive health apply.
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
COMMENT ON FUNCTION integration_ops.settle_pending_sync_runs() IS
  'Trigger: a pair''s pending run is cancelled when the pair is disabled (integration_disabled) or deleted (integration_removed), and handed to the new delivery path when delivery changes.';

DROP TRIGGER IF EXISTS organization_integrations_pending_runs ON public.organization_integrations;
CREATE TRIGGER organization_integrations_pending_runs
  AFTER UPDATE OF enabled, delivery ON public.organization_integrations
  FOR EACH ROW
  WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.delivery IS DISTINCT FROM NEW.delivery)
  EXECUTE FUNCTION integration_ops.settle_pending_sync_runs();
DROP TRIGGER IF EXISTS organization_integrations_pending_runs_removed ON public.organization_integrations;
CREATE TRIGGER organization_integrations_pending_runs_removed
  AFTER DELETE ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.settle_pending_sync_runs();

COMMIT;
