-- Deploy integration-sync:trigger_organization_integrations_schedule_change to pg
-- requires: trigger_organization_integrations_schedule function_set_next_sync_at
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- organization_integrations_schedule_change was created by
-- trigger_organization_integrations_schedule
-- (deploy/trigger_organization_integrations_schedule@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_schedule_change ON public.organization_integrations;
CREATE TRIGGER organization_integrations_schedule_change
  BEFORE UPDATE ON public.organization_integrations
  FOR EACH ROW
  WHEN (NEW.sync_interval IS DISTINCT FROM OLD.sync_interval
        OR NEW.sync_anchor IS DISTINCT FROM OLD.sync_anchor
        OR (NEW.enabled AND NOT OLD.enabled)
        OR NEW.next_sync_at IS NULL
        OR NEW.sync_interval IS NULL)
  EXECUTE FUNCTION integration_ops.set_next_sync_at();
COMMIT;
