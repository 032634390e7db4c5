-- Deploy integration-sync:function_next_sync_slot to pg
-- requires: trigger_organization_integrations_schedule
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_schedule. Reverting restores that definition.
-- The first period boundary strictly after `after`.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.next_sync_slot(sync_interval interval, sync_anchor timestamptz, after timestamptz)
RETURNS timestamptz
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT date_bin(next_sync_slot.sync_interval, next_sync_slot.after, next_sync_slot.sync_anchor)
         + pg_catalog.make_interval(secs => EXTRACT(epoch FROM next_sync_slot.sync_interval))
$$;

REVOKE ALL ON FUNCTION integration_ops.next_sync_slot(interval,timestamp with time zone,timestamp with time zone) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.next_sync_slot(interval, timestamptz, timestamptz) IS
  'The first schedule boundary (sync_anchor + k * sync_interval) strictly after `after` (date_bin).';

COMMIT;
