-- Deploy integration-sync:function_get_stale_pending_sync_runs to pg
-- requires: function_get_stale_pending_sync_runs@v0.2.0 table_sync_run_log_retries
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- Pending runs nobody has taken for longer than settings.stale_pending_alert (no worker
-- running, a pair whose delivery cannot take them): the report the reaper WARNs from and
-- the operations view reads. Walks the pending index only (O(pending)).
-- 0.3 (issue 22): a retry waiting for its backoff is not stale: its wait counts from
-- not_before.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.get_stale_pending_sync_runs()
RETURNS TABLE (run_id uuid, org_id uuid, integration_type text, triggered_by text,
               created_at timestamptz, waiting interval, delivery text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  -- 0.3: a retry waits from its not_before (its backoff is not staleness)
  SELECT r.id, r.org_id, r.integration_type, r.triggered_by, r.created_at,
         integration_ops.clock() - coalesce(r.not_before, r.created_at), oi.delivery
    FROM public.sync_run_log AS r
    LEFT JOIN public.organization_integrations AS oi
      ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
   WHERE r.status = 'pending'
     AND coalesce(r.not_before, r.created_at)
         < integration_ops.clock() - (integration_ops.settings_row()).stale_pending_alert
   ORDER BY r.created_at, r.id
$$;

REVOKE ALL ON FUNCTION integration_ops.get_stale_pending_sync_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.get_stale_pending_sync_runs() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.get_stale_pending_sync_runs() IS
  'Pending runs older than settings.stale_pending_alert, oldest first, with how long they have waited and their pair''s delivery (NULL: the pair is gone). Reported by the reaper as a WARNING.';

COMMIT;
