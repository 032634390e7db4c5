-- Deploy integration-sync:function_get_stale_pending_sync_runs to pg
-- requires: table_sync_run_log function_settings_row function_clock table_settings_engine_tunables
-- Pending runs nobody has taken for longer than settings.stale_pending_alert (no worker
-- running, a pair whose delivery cannot take them): the report the reaper WARNs from and
-- the operations view reads. Walks the pending index only (O(pending)).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.get_stale_pending_sync_runs()
RETURNS TABLE (run_id uuid, org_id uuid, integration_type text, triggered_by text,
               created_at timestamptz, waiting interval, delivery text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT r.id, r.org_id, r.integration_type, r.triggered_by, r.created_at,
         integration_ops.clock() - r.created_at, oi.delivery
    FROM public.sync_run_log AS r
    LEFT JOIN public.organization_integrations AS oi
      ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
   WHERE r.status = 'pending'
     AND r.created_at < integration_ops.clock() - (integration_ops.settings_row()).stale_pending_alert
   ORDER BY r.created_at, r.id
$$;

REVOKE ALL ON FUNCTION integration_ops.get_stale_pending_sync_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.get_stale_pending_sync_runs() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.get_stale_pending_sync_runs() IS
  'Pending runs older than settings.stale_pending_alert, oldest first, with how long they have waited and their pair''s delivery (NULL: the pair is gone). Reported by the reaper as a WARNING.';

COMMIT;
