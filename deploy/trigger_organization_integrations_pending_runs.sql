-- Deploy integration-sync:trigger_organization_integrations_pending_runs to pg
-- requires: trigger_organization_integrations_pending_runs@v0.2.0 trigger_organization_integrations_pending_runs_removed function_settle_pending_sync_runs
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.settle_pending_sync_runs -> function_settle_pending_sync_runs
--   trigger organization_integrations_pending_runs_removed -> trigger_organization_integrations_pending_runs_removed
-- The released scripts: deploy/trigger_organization_integrations_pending_runs@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own.
-- A pending run always reaches an end, whatever happens to its pair meanwhile:
--   * pair disabled  -> the pending run is cancelled, error_code integration_disabled;
--   * pair deleted   -> cancelled, integration_removed;
--   * delivery switched (worker <-> pg_net) -> handed to the new path at once
--     (wake_sync_delivery: NOTIFY for the worker, net.http_post for pg_net).
-- Running runs are left to their worker (or the reaper). Each goes through the one finish
-- path, so the transition guard and passive health apply.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS organization_integrations_pending_runs ON public.organization_integrations;
CREATE TRIGGER organization_integrations_pending_runs
  AFTER UPDATE OF enabled, delivery ON public.organization_integrations
  FOR EACH ROW
  WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.delivery IS DISTINCT FROM NEW.delivery)
  EXECUTE FUNCTION integration_ops.settle_pending_sync_runs();

COMMIT;
