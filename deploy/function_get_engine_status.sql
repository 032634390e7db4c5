-- Deploy integration-sync:function_get_engine_status to pg
-- requires: function_get_engine_status@v0.2.0 table_settings_outcome_tunables function_compute_engine_stats function_require_caller
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: the exposed RPC public.get_engine_status is SECURITY INVOKER and holds no privilege of its own;
-- its body, with every check, is the SECURITY DEFINER function integration_ops.get_engine_status in
-- the schema PostgREST does not expose (Supabase's advisor: no definer function that
-- signed-in users can call through /rest/v1/rpc).
-- Public RPC (issue 17, DESIGN §12 "Worker and operations"): the engine at a glance, for
-- global admins and service_role, index-backed (make bench: <= 5 ms at 2,000 orgs with
-- 90 days of runs):
--   queue      live: sync_run_log_pending_idx and sync_run_log_one_active_per_pair;
--   runs_24h, drift_24h, failing and the workers of the last hour: the one-row snapshot
--              integration_ops.engine_stats (pg_cron, every minute), or computed now by
--              compute_engine_stats() when it is missing or older than
--              settings.engine_stats_max_age; its time is reported as as_of (counting and
--              sorting a day of runs takes 10-30 ms at 2,000 orgs, reading one row does not);
--   workers    live running runs (sync_run_log_one_active_per_pair) and the snapshot's last hour;
--   alerts     the newest 100 open alerts (alerts_open_recent_idx).
-- 0.3 (issue 22): `lagging` (pairs whose oldest period without a run is older than
-- settings.lag_alert, live from the due index), queue.waiting_retries, and in runs_24h per
-- type: skipped, retries, retries_exhausted.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.get_engine_status()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz;
  v_s integration_ops.settings;
  v_as_of timestamptz;
  v_stats jsonb;
  v_queue jsonb;
  v_workers jsonb;
  v_alerts jsonb;
  v_lagging jsonb;
BEGIN
  PERFORM integration_ops.require_caller();
  IF NOT (integration_ops.is_service_role() OR integration_ops.is_global_admin()) THEN
    PERFORM integration_ops.raise_error('permission_denied',
      'The engine status is for global administrators only.');
  END IF;

  v_now := integration_ops.clock();
  v_s := integration_ops.settings_row();

  SELECT jsonb_build_object(
           'pending', p.n,
           'waiting_retries', p.waiting,
           'running', q.n,
           'oldest_pending_age_seconds', round(extract(epoch FROM v_now - p.oldest)::numeric, 3),
           'stale_pending', p.stale,
           'stale_running', q.stale)
    INTO v_queue
    FROM (SELECT count(*) AS n, min(coalesce(r.not_before, r.created_at)) AS oldest,
                 count(*) FILTER (WHERE r.not_before > v_now) AS waiting,
                 count(*) FILTER (WHERE coalesce(r.not_before, r.created_at) < v_now - v_s.stale_pending_alert) AS stale
            FROM public.sync_run_log AS r WHERE r.status = 'pending') AS p,
         (SELECT count(*) AS n,
                 count(*) FILTER (WHERE coalesce(r.heartbeat_at, r.started_at) < v_now - v_s.stale_run_timeout) AS stale
            FROM public.sync_run_log AS r WHERE r.status = 'running') AS q;

  -- The last 24 hours and the failing pairs: the every-minute snapshot while fresh, else
  -- computed now.
  SELECT es.computed_at, es.stats INTO v_as_of, v_stats
    FROM integration_ops.engine_stats AS es WHERE es.id;
  IF v_stats IS NULL OR v_as_of < v_now - v_s.engine_stats_max_age THEN
    v_as_of := v_now;
    v_stats := integration_ops.compute_engine_stats(v_now);
  END IF;

  -- Workers: in flight now (live), or finished a run in the last hour (snapshot).
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'worker_id', w.worker_id,
           'runs_in_flight', w.in_flight,
           'last_heartbeat', w.last_heartbeat,
           'last_seen', w.last_seen) ORDER BY w.worker_id), '[]'::jsonb)
    INTO v_workers
    FROM (SELECT x.worker_id, sum(x.in_flight) AS in_flight,
                 max(x.last_heartbeat) AS last_heartbeat, max(x.last_seen) AS last_seen
            FROM (SELECT r.worker_id, count(*) AS in_flight,
                         max(r.heartbeat_at) AS last_heartbeat,
                         max(coalesce(r.heartbeat_at, r.started_at)) AS last_seen
                    FROM public.sync_run_log AS r
                   WHERE r.status = 'running' AND r.worker_id IS NOT NULL
                   GROUP BY r.worker_id
                  UNION ALL
                  SELECT e.w ->> 'worker_id', 0, (e.w ->> 'last_heartbeat')::timestamptz,
                         (e.w ->> 'last_seen')::timestamptz
                    FROM jsonb_array_elements(v_stats -> 'workers_1h') AS e (w)
                   WHERE (e.w ->> 'last_seen')::timestamptz >= v_now - interval '1 hour') AS x
           GROUP BY x.worker_id) AS w;

  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'kind', a.kind, 'org_id', a.org_id,
           'integration_type', a.integration_type, 'run_id', a.run_id, 'detail', a.detail,
           'first_seen', a.first_seen, 'last_seen', a.last_seen)
           ORDER BY a.first_seen DESC, a.id DESC), '[]'::jsonb)
    INTO v_alerts
    FROM (SELECT al.* FROM integration_ops.alerts AS al
           WHERE al.resolved_at IS NULL
           ORDER BY al.first_seen DESC, al.id DESC
           LIMIT 100) AS a;

  -- 0.3: pairs falling behind, live from the due index: lag = now - the oldest period
  -- without a run, above settings.lag_alert, worst 100 first.
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'org_id', l.org_id, 'integration_type', l.integration_type,
           'lag_seconds', round(extract(epoch FROM v_now - l.next_sync_at)),
           'oldest_period_without_run', l.next_sync_at, 'sync_interval', l.sync_interval)
           ORDER BY l.next_sync_at, l.org_id, l.integration_type), '[]'::jsonb)
    INTO v_lagging
    FROM (SELECT oi.org_id, oi.integration_type, oi.next_sync_at, oi.sync_interval
            FROM public.organization_integrations AS oi
           WHERE oi.enabled AND oi.sync_interval IS NOT NULL
             AND oi.next_sync_at < v_now - v_s.lag_alert
           ORDER BY oi.next_sync_at
           LIMIT 100) AS l;

  RETURN jsonb_build_object('queue', v_queue, 'runs_24h', v_stats -> 'runs_24h', 'lagging', v_lagging,
                            'drift_24h', v_stats -> 'drift_24h', 'failing', v_stats -> 'failing',
                            'workers', v_workers, 'alerts', v_alerts, 'as_of', v_as_of);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.get_engine_status() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.get_engine_status() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.get_engine_status() IS
  'Body of public.get_engine_status (SECURITY DEFINER, not exposed): the checks and the work. Call public.get_engine_status.';

CREATE OR REPLACE FUNCTION public.get_engine_status()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.get_engine_status();
END
$$;

REVOKE ALL ON FUNCTION public.get_engine_status() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_engine_status() TO authenticated, service_role;
COMMENT ON FUNCTION public.get_engine_status() IS
  'The engine at a glance as jsonb: queue {pending, waiting_retries, running, oldest_pending_age_seconds, stale_pending, stale_running}; runs_24h {<type>: {completed, failed, cancelled, cold_starts, cold_starts_failed, skipped, retries, retries_exhausted}} by end time; lagging [{org_id, integration_type, lag_seconds, oldest_period_without_run, sync_interval}] (pairs whose oldest period without a run is older than settings.lag_alert, worst 100, live); drift_24h {runs, p50_seconds, p95_seconds, max_seconds, over_alert, alert_seconds} of scheduled runs ended in 24 h or running (both as of as_of: the every-minute snapshot, or now when it is older than settings.engine_stats_max_age); failing [{org_id, integration_type, health_status, health_consecutive_failures, consecutive_run_failures, last_error_code}] (health unreachable or an open repeated_failures alert; the 100 with most consecutive failures, as of as_of); workers [{worker_id, runs_in_flight, last_heartbeat, last_seen}] (running now or finished a run in the last hour); alerts [open integration_ops.alerts rows, newest first, at most 100]; as_of (when runs_24h, drift_24h and failing were computed). Global admins (JWT user_role = global_admin) and service_role only; others get permission_denied (PT403), callers without sub not_authenticated; anon has no EXECUTE.';

COMMIT;
