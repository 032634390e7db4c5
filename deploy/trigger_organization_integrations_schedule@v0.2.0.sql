-- Deploy integration-sync:trigger_organization_integrations_schedule to pg
-- requires: trigger_organization_integrations_schedule@v0.1.0 function_clock
-- 0.2: the engine's clock; the next boundary adds the interval as a fixed length (as
-- date_bin bins), so a session time zone with daylight saving never shifts a slot.
-- Schedules are aligned to period boundaries: sync_anchor + k * sync_interval (date_bin).
-- next_sync_at is kept by a BEFORE trigger whenever the schedule changes, so a late run
-- keeps its period and never drifts the schedule.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The first period boundary strictly after `after`.
CREATE OR REPLACE FUNCTION integration_ops.next_sync_slot(sync_interval interval, sync_anchor timestamptz, after timestamptz)
RETURNS timestamptz
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT date_bin(next_sync_slot.sync_interval, next_sync_slot.after, next_sync_slot.sync_anchor)
         + pg_catalog.make_interval(secs => EXTRACT(epoch FROM next_sync_slot.sync_interval))
$$;

CREATE OR REPLACE FUNCTION integration_ops.set_next_sync_at()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NEW.sync_interval IS NULL THEN
    NEW.next_sync_at := NULL;
    RETURN NEW;
  END IF;
  IF extract(year FROM NEW.sync_interval) <> 0 OR extract(month FROM NEW.sync_interval) <> 0 THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'sync_interval must be given in days, hours or minutes (months and years have no fixed length).');
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.next_sync_at IS NULL THEN
      NEW.next_sync_at := integration_ops.next_sync_slot(NEW.sync_interval, NEW.sync_anchor, integration_ops.clock());
    END IF;
  ELSIF (NEW.sync_interval IS DISTINCT FROM OLD.sync_interval
         OR NEW.sync_anchor IS DISTINCT FROM OLD.sync_anchor
         OR (NEW.enabled AND NOT OLD.enabled)
         OR NEW.next_sync_at IS NULL)
        AND NEW.next_sync_at IS NOT DISTINCT FROM OLD.next_sync_at THEN
    NEW.next_sync_at := integration_ops.next_sync_slot(NEW.sync_interval, NEW.sync_anchor, integration_ops.clock());
  END IF;
  RETURN NEW;
END
$$;

-- 0.2: on UPDATE the trigger fires only when the schedule may need realigning (a WHEN
-- clause, evaluated without calling PL/pgSQL), so the dispatcher's advance of next_sync_at
-- over a herd of pairs costs no trigger call per row.
DROP TRIGGER IF EXISTS organization_integrations_schedule ON public.organization_integrations;
CREATE TRIGGER organization_integrations_schedule
  BEFORE INSERT ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.set_next_sync_at();
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

REVOKE ALL ON FUNCTION integration_ops.next_sync_slot(interval, timestamptz, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.set_next_sync_at() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.next_sync_slot(interval, timestamptz, timestamptz) IS
  'The first schedule boundary (sync_anchor + k * sync_interval) strictly after `after` (date_bin).';
COMMENT ON FUNCTION integration_ops.set_next_sync_at() IS
  'Trigger: set next_sync_at to the next aligned boundary after now() when a schedule is created, changed or re-enabled (unless next_sync_at is set explicitly in the same statement); NULL for manual-only pairs. Refuses month/year intervals (invalid_argument).';

COMMIT;
