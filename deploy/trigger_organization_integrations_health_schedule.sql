-- Deploy integration-sync:trigger_organization_integrations_health_schedule to pg
-- requires: trigger_organization_integrations_health_schedule@v0.2.0 function_schedule_health_check function_trigger_health_schedule
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.schedule_health_check -> function_schedule_health_check
--   function integration_ops.trigger_health_schedule -> function_trigger_health_schedule
-- The released scripts: deploy/trigger_organization_integrations_health_schedule@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own. That is the trigger: the released script
-- also backfilled the schedule (data, not repeated here) and set comments on
-- integration_health_status, which are table_integration_health_status's.
-- The health schedule is kept where the configuration changes (issue 16), so a claim is
-- one range scan of integration_health_status_next_check_idx and never an anti-join
-- over every pair.
--
-- Invariant (kept by this trigger, record_health_check and claim_health_checks):
--   a pair that is checkable (organization_integrations row enabled, health_mode
--   'active') has a status row with next_check_at NOT NULL; every other status row has
--   next_check_at NULL. A never-checked checkable pair has a *bookkeeping row*
--   (status, checked_at NULL: it shows as status NULL and counts in no summary).
--
-- Transitions (AFTER INSERT, DELETE, UPDATE OF enabled, health_mode, org_id,
-- integration_type; other updates, e.g. the dispatcher's next_sync_at, do not fire it):
--   becomes checkable (insert; enabled again; mode switched to active)
--       -> bookkeeping row with next_check_at = now() (due at once), or, when a status
--          row exists without a scheduled check, next_check_at = now(); a scheduled
--          check is left as it is.
--   stops being checkable (disabled; mode passive or disabled; deleted; key changed)
--       -> a bookkeeping row is deleted (nothing was measured); a result row stays (a
--          real measurement, still listed by get_org_health_status) with next_check_at
--          NULL.
-- Concurrency: the status row is written under its row lock, after the configuration
-- row was changed in the same transaction, so a claim or a record that holds the status
-- row lock first is simply overwritten by the transition once it commits (both read the
-- configuration only after they hold that lock).
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS organization_integrations_health_schedule ON public.organization_integrations;
CREATE TRIGGER organization_integrations_health_schedule
  AFTER INSERT OR DELETE OR UPDATE OF enabled, health_mode, org_id, integration_type
  ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.trigger_health_schedule();

COMMENT ON TRIGGER organization_integrations_health_schedule ON public.organization_integrations IS
  'Keeps the health schedule: a checkable pair (enabled, health_mode active) has a status row with next_check_at; others have none scheduled (integration_ops.trigger_health_schedule).';

COMMIT;
