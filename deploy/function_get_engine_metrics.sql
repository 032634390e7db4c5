-- Deploy integration-sync:function_get_engine_metrics to pg
-- requires: schema_integration_ops role_integration_worker function_compute_engine_stats table_engine_stats table_alerts_outcome_kinds table_sync_run_log_retries table_settings_alert_tunables function_settings_row function_clock
-- 0.3 (issue 23, operators' kit): the engine's figures for the worker's Prometheus
-- metrics. Retries, exhausted chains, cold starts, drift and the engine's alerts are
-- decided in Postgres (a worker only reports outcomes), so a worker with --metrics-port
-- reads them here once a minute and exports them as gauges (orchestrator_engine_*). The
-- worker's login holds integration_worker only and may not call get_engine_status()
-- (global admins and service_role): this is its read-only subset, per integration type and
-- alert kind, with no org id in it.
--   queue        live (sync_run_log_pending_idx, the running partial index);
--   runs_24h, drift_24h   the every-minute snapshot integration_ops.engine_stats while it
--                is younger than settings.engine_stats_max_age, else computed now (the rule
--                of get_engine_status); as_of says which; snapshot_at is the snapshot's own
--                time (NULL without one): it stops moving when pg_cron stops;
--   open_alerts  open integration_ops.alerts per kind, every kind listed (zeros included),
--                from the unique index of open alerts.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.get_engine_metrics()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_s integration_ops.settings := integration_ops.settings_row();
  v_snapshot_at timestamptz;
  v_as_of timestamptz;
  v_stats jsonb;
  v_queue jsonb;
  v_alerts jsonb;
BEGIN
  SELECT jsonb_build_object('pending', p.n, 'waiting_retries', p.waiting, 'running', q.n)
    INTO v_queue
    FROM (SELECT count(*) AS n, count(*) FILTER (WHERE r.not_before > v_now) AS waiting
            FROM public.sync_run_log AS r WHERE r.status = 'pending') AS p,
         (SELECT count(*) AS n FROM public.sync_run_log AS r WHERE r.status = 'running') AS q;

  SELECT es.computed_at, es.stats INTO v_snapshot_at, v_stats
    FROM integration_ops.engine_stats AS es WHERE es.id;
  v_as_of := v_snapshot_at;
  IF v_stats IS NULL OR v_snapshot_at < v_now - v_s.engine_stats_max_age THEN
    v_as_of := v_now;
    v_stats := integration_ops.compute_engine_stats(v_now);
  END IF;

  SELECT jsonb_object_agg(k.kind, coalesce(a.n, 0) ORDER BY k.kind)
    INTO v_alerts
    FROM (VALUES ('drift'), ('worker_lost'), ('stale_pending'), ('repeated_failures'),
                 ('cold_start_failed'), ('retries_exhausted'), ('lagging')) AS k (kind)
    LEFT JOIN (SELECT al.kind, count(*) AS n FROM integration_ops.alerts AS al
                WHERE al.resolved_at IS NULL GROUP BY al.kind) AS a ON a.kind = k.kind;

  RETURN jsonb_build_object('queue', v_queue, 'runs_24h', v_stats -> 'runs_24h',
                            'drift_24h', v_stats -> 'drift_24h', 'open_alerts', v_alerts,
                            'as_of', v_as_of, 'snapshot_at', v_snapshot_at);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.get_engine_metrics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.get_engine_metrics() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.get_engine_metrics() IS
  'Worker RPC (0.3): the engine''s figures for the worker''s Prometheus gauges, as jsonb: queue {pending, waiting_retries, running} (now); runs_24h {<type>: {completed, failed, cancelled, cold_starts, cold_starts_failed, skipped, retries, retries_exhausted}} and drift_24h {runs, p50_seconds, p95_seconds, max_seconds, over_alert, alert_seconds} as in get_engine_status(), as of as_of (the every-minute snapshot, or now when it is older than settings.engine_stats_max_age); open_alerts {<kind>: n} (open integration_ops.alerts per kind, every kind, zeros included); snapshot_at (when pg_cron last stored the snapshot; NULL when there is none). No org id. integration_worker and service_role only.';

COMMIT;
