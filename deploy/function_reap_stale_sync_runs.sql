-- Deploy integration-sync:function_reap_stale_sync_runs to pg
-- requires: function_reap_stale_sync_runs@v0.2.0 function_schedule_retry function_lock_pair function_get_stale_pending_sync_runs
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: running runs without a heartbeat for the stale timeout -> failed worker_lost (one
-- set-based UPDATE; the transition guard and the passive-health trigger apply to it as to
-- every other finish). Pending runs older than settings.stale_pending_alert are reported
-- with a WARNING (they also show in integration_ops.get_stale_pending_sync_runs()).
-- 0.3 (issue 22): a lost run's period is retried (worker_lost is a transient code), each
-- reaped run under its pair lock, at most 200 per call.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.reap_stale_sync_runs()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_stale interval := (integration_ops.settings_row()).stale_run_timeout;
  v_count integer := 0;
  v_run record;
  v_pending record;
BEGIN
  -- 0.3: run by run, each under its pair lock (taken before the row lock, as every path
  -- does), at most 200 per call (the pair locks are held to the end of the transaction):
  -- a lost run's period gets its next attempt (worker_lost is transient).
  FOR v_run IN
    SELECT r.id, r.org_id, r.integration_type
      FROM public.sync_run_log AS r
     WHERE r.status = 'running' AND coalesce(r.heartbeat_at, r.started_at) < v_now - v_stale
     ORDER BY coalesce(r.heartbeat_at, r.started_at)
     LIMIT 200
  LOOP
    PERFORM integration_ops.lock_pair(v_run.org_id, v_run.integration_type);
    UPDATE public.sync_run_log AS r
       SET status = 'failed', ended_at = v_now, error_code = 'worker_lost',
           error_message = integration_ops.sanitize_error_text(
             format('No heartbeat from %s for more than %s: the run was abandoned.',
                    coalesce(left(r.worker_id, 100), 'its worker'), v_stale))
     WHERE r.id = v_run.id AND r.status = 'running'
       AND coalesce(r.heartbeat_at, r.started_at) < v_now - v_stale;
    IF FOUND THEN
      v_count := v_count + 1;
      PERFORM integration_ops.schedule_retry(v_run.id);
    END IF;
  END LOOP;

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
GRANT EXECUTE ON FUNCTION integration_ops.reap_stale_sync_runs() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.reap_stale_sync_runs() IS
  'Worker RPC / pg_cron: running runs whose heartbeat (or start) is older than settings.stale_run_timeout -> failed with error_code worker_lost (passive health hears of it) and the period''s next attempt scheduled while attempts remain; at most 200 per call; returns how many. Also ends pg_net runs whose response never came, and WARNs about pending runs older than settings.stale_pending_alert.';

COMMIT;
