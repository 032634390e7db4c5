-- Deploy integration-sync:function_compute_engine_stats to pg
-- requires: function_refresh_engine_stats@v0.2.0 function_is_retryable_error table_settings_outcome_tunables table_sync_run_log_retries
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_refresh_engine_stats. Reverting restores that definition.
-- 0.3 (issue 22): runs_24h per type also counts skipped periods, retries (attempts after the
-- first that ended) and exhausted chains (a last attempt failed after retry_max_attempts).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.compute_engine_stats(as_of timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_s integration_ops.settings;
  v_day timestamptz := as_of - interval '24 hours';
  v_alert numeric;
  v_runs jsonb;
  v_drift jsonb;
  v_failing jsonb;
  v_workers jsonb;
BEGIN
  IF as_of IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'as_of must be a time.');
  END IF;
  v_s := integration_ops.settings_row();
  v_alert := extract(epoch FROM v_s.drift_alert);

  -- Runs by type and outcome, by end time: every type, zeros included.
  SELECT coalesce(jsonb_object_agg(t.integration_type, jsonb_build_object(
           'completed', coalesce(c.completed, 0),
           'failed', coalesce(c.failed, 0),
           'cancelled', coalesce(c.cancelled, 0),
           'cold_starts', coalesce(c.cold_starts, 0),
           'cold_starts_failed', coalesce(c.cold_starts_failed, 0),
           'skipped', coalesce(c.skipped, 0),
           'retries', coalesce(c.retries, 0),
           'retries_exhausted', coalesce(c.retries_exhausted, 0)) ORDER BY t.integration_type), '{}'::jsonb)
    INTO v_runs
    FROM public.integration_types AS t
    LEFT JOIN (SELECT r.integration_type,
                      count(*) FILTER (WHERE r.status = 'completed') AS completed,
                      count(*) FILTER (WHERE r.status = 'failed') AS failed,
                      count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled,
                      count(*) FILTER (WHERE r.cold_start) AS cold_starts,
                      count(*) FILTER (WHERE r.cold_start AND r.status = 'failed') AS cold_starts_failed,
                      count(*) FILTER (WHERE r.status = 'skipped') AS skipped,
                      count(*) FILTER (WHERE r.attempt > 1) AS retries,
                      count(*) FILTER (WHERE r.status = 'failed' AND r.attempt >= v_s.retry_max_attempts
                                         AND integration_ops.is_retryable_error(r.error_code)) AS retries_exhausted
                 FROM public.sync_run_log AS r
                WHERE r.ended_at >= v_day AND r.ended_at <= as_of
                GROUP BY r.integration_type) AS c ON c.integration_type = t.integration_type;

  -- Drift of scheduled runs that ended in the window or are in flight.
  SELECT jsonb_build_object(
           'runs', count(*),
           'p50_seconds', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.drift_seconds)::numeric, 3),
           'p95_seconds', round(percentile_cont(0.95) WITHIN GROUP (ORDER BY d.drift_seconds)::numeric, 3),
           'max_seconds', round(max(d.drift_seconds), 3),
           'over_alert', count(*) FILTER (WHERE d.drift_seconds > v_alert),
           'alert_seconds', v_alert)
    INTO v_drift
    FROM (SELECT r.drift_seconds FROM public.sync_run_log AS r
           WHERE r.ended_at >= v_day AND r.ended_at <= as_of AND r.scheduled_for IS NOT NULL
          UNION ALL
          SELECT r.drift_seconds FROM public.sync_run_log AS r
           WHERE r.status = 'running' AND r.scheduled_for IS NOT NULL) AS d;

  -- The worst failing pairs: the first rows of each partial index (unreachable health,
  -- open repeated_failures alerts), then each pair's row from both.
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'org_id', f.org_id,
           'integration_type', f.integration_type,
           'health_status', f.health_status,
           'health_consecutive_failures', f.health_failures,
           'consecutive_run_failures', f.run_failures,
           'last_error_code', f.last_error_code)
           ORDER BY f.worst DESC, f.org_id, f.integration_type), '[]'::jsonb)
    INTO v_failing
    FROM (SELECT k.org_id, k.integration_type,
                 hs.status AS health_status, hs.consecutive_failures AS health_failures,
                 (al.detail ->> 'consecutive_failures')::integer AS run_failures,
                 al.detail ->> 'last_error_code' AS last_error_code,
                 greatest(coalesce((al.detail ->> 'consecutive_failures')::integer, 0),
                          coalesce(hs.consecutive_failures, 0)) AS worst
            FROM ((SELECT h.org_id, h.integration_type
                     FROM public.integration_health_status AS h
                    WHERE h.status = 'unreachable'
                    ORDER BY h.consecutive_failures DESC, h.org_id, h.integration_type
                    LIMIT 100)
                  UNION
                  (SELECT a.org_id, a.integration_type
                     FROM integration_ops.alerts AS a
                    WHERE a.kind = 'repeated_failures' AND a.resolved_at IS NULL
                    ORDER BY (a.detail ->> 'consecutive_failures')::integer DESC, a.org_id, a.integration_type
                    LIMIT 100)) AS k
            -- LIMIT 1 keeps each lookup a probe of the pair's unique key (no hash of
            -- every unreachable row).
            LEFT JOIN LATERAL (SELECT h.status, h.consecutive_failures
                                 FROM public.integration_health_status AS h
                                WHERE h.org_id = k.org_id AND h.integration_type = k.integration_type
                                  AND h.status = 'unreachable'
                                LIMIT 1) AS hs ON true
            LEFT JOIN LATERAL (SELECT a.detail
                                 FROM integration_ops.alerts AS a
                                WHERE a.kind = 'repeated_failures' AND a.resolved_at IS NULL
                                  AND a.org_id = k.org_id AND a.integration_type = k.integration_type
                                LIMIT 1) AS al ON true
           ORDER BY worst DESC, k.org_id, k.integration_type
           LIMIT 100) AS f;

  -- Workers that finished a run in the last hour (the ones running now are read live).
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'worker_id', w.worker_id, 'last_heartbeat', w.last_heartbeat, 'last_seen', w.last_seen)
           ORDER BY w.worker_id), '[]'::jsonb)
    INTO v_workers
    FROM (SELECT r.worker_id, max(r.heartbeat_at) AS last_heartbeat, max(r.ended_at) AS last_seen
            FROM public.sync_run_log AS r
           WHERE r.ended_at >= as_of - interval '1 hour' AND r.ended_at <= as_of
             AND r.worker_id IS NOT NULL
           GROUP BY r.worker_id) AS w;

  RETURN jsonb_build_object('runs_24h', v_runs, 'drift_24h', v_drift, 'failing', v_failing,
                            'workers_1h', v_workers);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.compute_engine_stats(timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.compute_engine_stats(timestamp with time zone) TO service_role;
COMMENT ON FUNCTION integration_ops.compute_engine_stats(timestamptz) IS
  'The engine''s figures as of `as_of`: runs_24h {<type>: {completed, failed, cancelled, cold_starts, cold_starts_failed}} of runs ended in (as_of - 24 h, as_of] (cold_starts: runs that met a cold endpoint and were retried once; cold_starts_failed: of those, the ones whose retry failed too); drift_24h {runs, p50_seconds, p95_seconds, max_seconds, over_alert, alert_seconds} of scheduled runs ended in that window or running; failing [{org_id, integration_type, health_status, health_consecutive_failures, consecutive_run_failures, last_error_code}], the 100 pairs with most consecutive failures among those whose health is unreachable or that have an open repeated_failures alert; workers_1h [{worker_id, last_heartbeat, last_seen}] of workers that ended a run in the last hour. Range scans of sync_run_log_ended_idx and the first rows of two partial indexes; stored by refresh_engine_stats().';

COMMIT;
