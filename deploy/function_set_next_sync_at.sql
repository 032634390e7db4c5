-- Deploy integration-sync:function_set_next_sync_at to pg
-- requires: trigger_organization_integrations_schedule
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_schedule. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.set_next_sync_at()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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

REVOKE ALL ON FUNCTION integration_ops.set_next_sync_at() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.set_next_sync_at() IS
  'Trigger: set next_sync_at to the next aligned boundary after now() when a schedule is created, changed or re-enabled (unless next_sync_at is set explicitly in the same statement); NULL for manual-only pairs. Refuses month/year intervals (invalid_argument).';

COMMIT;
