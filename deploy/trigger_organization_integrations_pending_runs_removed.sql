-- Deploy integration-sync:trigger_organization_integrations_pending_runs_removed to pg
-- requires: trigger_organization_integrations_pending_runs function_settle_pending_sync_runs
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- organization_integrations_pending_runs_removed was created by
-- trigger_organization_integrations_pending_runs
-- (deploy/trigger_organization_integrations_pending_runs@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_pending_runs_removed ON public.organization_integrations;
CREATE TRIGGER organization_integrations_pending_runs_removed
  AFTER DELETE ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.settle_pending_sync_runs();
COMMIT;
