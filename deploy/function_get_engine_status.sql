-- Deploy integration-sync:function_get_engine_status to pg
-- requires: table_alerts table_settings_alert_tunables function_authorize function_settings_row function_clock table_integration_health_status table_organization_integrations
-- Public RPC (issue 17, DESIGN §12 "Worker and operations"): the engine at a glance, for
-- global admins and service_role. Every part reads an index of sync_run_log (pending,
-- running, ended-at) or the alerts table; "failing" reads the unreachable health rows
-- and the open repeated_failures alerts (kept by refresh_alerts(), at most a minute old).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION public.get_engine_status()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_now timestamptz;
  v_s integration_ops.settings;
  v_day timestamptz;
  v_queue jsonb;
  v_runs jsonb;
  v_drift jsonb;
  v_failing jsonb;
  v_workers jsonb;
  v_alerts jsonb;
BEGIN
  PERFORM integration_ops.require_caller();
  IF NOT (integration_ops.is_service_role() OR integration_ops.is_global_admin()) THEN
    PERFORM integration_ops.raise_error('permission_denied',
      'The engine status is for global administrators only.');
  END IF;

  v_now := integration_ops.clock();
  v_s := integration_ops.settings_row();
  v_day := v_now - interval '24 hours';

  SELECT jsonb_build_object(
           'pending', p.n,
           'running', q.n,
           'oldest_pending_age_seconds', round(extract(epoch FROM v_now - p.oldest)::numeric, 3),
           'stale_pending', p.stale,
           'stale_running', q.stale)
    INTO v_queue
    FROM (SELECT count(*) AS n, min(r.created_at) AS oldest,
                 count(*) FILTER (WHERE r.created_at < v_now - v_s.stale_pending_alert) AS stale
            FROM public.sync_run_log AS r WHERE r.status = 'pending') AS p,
         (SELECT count(*) AS n,
                 count(*) FILTER (WHERE coalesce(r.heartbeat_at, r.started_at) < v_now - v_s.stale_run_timeout) AS stale
            FROM public.sync_run_log AS r WHERE r.status = 'running') AS q;

  SELECT coalesce(jsonb_object_agg(t.integration_type, jsonb_build_object(
           'completed', coalesce(c.completed, 0),
           'failed', coalesce(c.failed, 0),
           'cancelled', coalesce(c.cancelled, 0)) ORDER BY t.integration_type), '{}'::jsonb)
    INTO v_runs
    FROM public.integration_types AS t
    LEFT JOIN (SELECT r.integration_type,
                      count(*) FILTER (WHERE r.status = 'completed') AS completed,
                      count(*) FILTER (WHERE r.status = 'failed') AS failed,
                      count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled
                 FROM public.sync_run_log AS r
                WHERE r.ended_at >= v_day
                GROUP BY r.integration_type) AS c ON c.integration_type = t.integration_type;

  SELECT jsonb_build_object(
           'runs', count(*),
           'p50_seconds', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.drift_seconds)::numeric, 3),
           'p95_seconds', round(percentile_cont(0.95) WITHIN GROUP (ORDER BY d.drift_seconds)::numeric, 3),
           'max_seconds', round(max(d.drift_seconds), 3),
           'over_alert', count(*) FILTER (WHERE d.drift_seconds > extract(epoch FROM v_s.drift_alert)),
           'alert_seconds', extract(epoch FROM v_s.drift_alert))
    INTO v_drift
    FROM (SELECT r.drift_seconds FROM public.sync_run_log AS r
           WHERE r.ended_at >= v_day AND r.scheduled_for IS NOT NULL
          UNION ALL
          SELECT r.drift_seconds FROM public.sync_run_log AS r
           WHERE r.status = 'running' AND r.scheduled_for IS NOT NULL) AS d;

  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'org_id', f.org_id,
           'integration_type', f.integration_type,
           'health_status', f.health_status,
           'health_consecutive_failures', f.health_failures,
           'consecutive_run_failures', f.run_failures,
           'last_error_code', f.last_error_code)
           ORDER BY greatest(coalesce(f.run_failures, 0), coalesce(f.health_failures, 0)) DESC,
                    f.org_id, f.integration_type), '[]'::jsonb)
    INTO v_failing
    FROM (SELECT coalesce(h.org_id, a.org_id) AS org_id,
                 coalesce(h.integration_type, a.integration_type) AS integration_type,
                 h.status AS health_status, h.consecutive_failures AS health_failures,
                 (a.detail ->> 'consecutive_failures')::integer AS run_failures,
                 a.detail ->> 'last_error_code' AS last_error_code
            FROM (SELECT hs.org_id, hs.integration_type, hs.status, hs.consecutive_failures
                    FROM public.integration_health_status AS hs
                   WHERE hs.status = 'unreachable') AS h
            FULL JOIN (SELECT al.org_id, al.integration_type, al.detail
                         FROM integration_ops.alerts AS al
                        WHERE al.kind = 'repeated_failures' AND al.resolved_at IS NULL) AS a
              ON a.org_id = h.org_id AND a.integration_type = h.integration_type
           ORDER BY 1, 2
           LIMIT 500) AS f;

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
                  SELECT r.worker_id, 0, max(r.heartbeat_at), max(r.ended_at)
                    FROM public.sync_run_log AS r
                   WHERE r.ended_at >= v_now - interval '1 hour' AND r.worker_id IS NOT NULL
                   GROUP BY r.worker_id) AS x
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
           LIMIT 500) AS a;

  RETURN jsonb_build_object('queue', v_queue, 'runs_24h', v_runs, 'drift_24h', v_drift,
                            'failing', v_failing, 'workers', v_workers, 'alerts', v_alerts);
END
$$;

REVOKE ALL ON FUNCTION public.get_engine_status() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_engine_status() TO authenticated, service_role;
COMMENT ON FUNCTION public.get_engine_status() IS
  'The engine at a glance as jsonb: queue {pending, running, oldest_pending_age_seconds, stale_pending, stale_running}; runs_24h {<type>: {completed, failed, cancelled}} by end time; drift_24h {runs, p50_seconds, p95_seconds, max_seconds, over_alert, alert_seconds} of scheduled runs ended in 24 h or running; failing [{org_id, integration_type, health_status, health_consecutive_failures, consecutive_run_failures, last_error_code}] (health unreachable or an open repeated_failures alert; at most 500); workers [{worker_id, runs_in_flight, last_heartbeat, last_seen}] (running now or finished a run in the last hour); alerts [open integration_ops.alerts rows, newest first, at most 500]. Global admins (JWT user_role = global_admin) and service_role only; others get permission_denied (PT403), callers without sub not_authenticated; anon has no EXECUTE.';

COMMIT;
