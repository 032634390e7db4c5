-- Deploy integration-sync:function_reap_stale_sync_runs to pg
-- requires: function_reap_stale_sync_runs@v0.1.0 function_clock function_settings_row trigger_sync_run_log_passive_health function_get_stale_pending_sync_runs
-- 0.2: running runs without a heartbeat for the stale timeout -> failed worker_lost (one
-- set-based UPDATE; the transition guard and the passive-health trigger apply to it as to
-- every other finish). Pending runs older than settings.stale_pending_alert are reported
-- with a WARNING (they also show in integration_ops.get_stale_pending_sync_runs()).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.reap_stale_sync_runs()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_stale interval := (integration_ops.settings_row()).stale_run_timeout;
  v_count integer;
  v_pending record;
BEGIN
  UPDATE public.sync_run_log AS r
     SET status = 'failed', ended_at = v_now, error_code = 'worker_lost',
         error_message = integration_ops.sanitize_error_text(
           format('No heartbeat from %s for more than %s: the run was abandoned.',
                  coalesce(left(r.worker_id, 100), 'its worker'), v_stale))
   WHERE r.status = 'running'
     AND coalesce(r.heartbeat_at, r.started_at) < v_now - v_stale;
  GET DIAGNOSTICS v_count = ROW_COUNT;

  SELECT count(*) AS n, min(p.created_at) AS oldest INTO v_pending
    FROM integration_ops.get_stale_pending_sync_runs() AS p;
  IF v_pending.n > 0 THEN
    RAISE WARNING 'reap_stale_sync_runs: % pending run(s) waiting longer than settings.stale_pending_alert (oldest created %): is a worker running?',
      v_pending.n, v_pending.oldest;
  END IF;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.reap_stale_sync_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.reap_stale_sync_runs() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.reap_stale_sync_runs() IS
  'Worker RPC / pg_cron: running runs whose heartbeat (or start) is older than settings.stale_run_timeout -> failed with error_code worker_lost (passive health hears of it); returns how many. Also ends pg_net runs whose response never came, and WARNs about pending runs older than settings.stale_pending_alert.';

COMMIT;
