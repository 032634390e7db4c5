-- Deploy integration-sync:trigger_organization_integrations_schedule to pg
-- requires: trigger_organization_integrations_schedule@v0.2.0 trigger_organization_integrations_schedule_change function_next_sync_slot function_set_next_sync_at
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.next_sync_slot -> function_next_sync_slot
--   function integration_ops.set_next_sync_at -> function_set_next_sync_at
--   trigger organization_integrations_schedule_change -> trigger_organization_integrations_schedule_change
-- The released scripts: deploy/trigger_organization_integrations_schedule@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own.
-- 0.2: the engine's clock; the next boundary adds the interval as a fixed length (as
-- date_bin bins), so a session time zone with daylight saving never shifts a slot.
-- Schedules are aligned to period boundaries: sync_anchor + k * sync_interval (date_bin).
-- next_sync_at is kept by a BEFORE trigger whenever the schedule changes, so a late run
-- keeps its period and never drifts the schedule.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- 0.2: on UPDATE the trigger fires only when the schedule may need realigning (a WHEN
-- clause, evaluated without calling PL/pgSQL), so the dispatcher's advance of next_sync_at
-- over a herd of pairs costs no trigger call per row.
DROP TRIGGER IF EXISTS organization_integrations_schedule ON public.organization_integrations;
CREATE TRIGGER organization_integrations_schedule
  BEFORE INSERT ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.set_next_sync_at();

COMMIT;
