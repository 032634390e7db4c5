-- Revert integration-sync:function_next_sync_slot from pg: restore the 0.2 definition
-- (created by trigger_organization_integrations_schedule), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

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

REVOKE ALL ON FUNCTION integration_ops.next_sync_slot(interval,timestamp with time zone,timestamp with time zone) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.next_sync_slot(interval,timestamp with time zone,timestamp with time zone) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.next_sync_slot(interval, timestamptz, timestamptz) IS
  'The first schedule boundary (sync_anchor + k * sync_interval) strictly after `after` (date_bin).';

COMMIT;
