-- Deploy integration-sync:function_refresh_alerts to pg
-- requires: table_alerts table_sync_run_log_cold_start table_settings_alert_tunables function_get_stale_pending_sync_runs function_settings_row function_clock
-- Opens, refreshes and resolves the rows of integration_ops.alerts (issue 17). Called by
-- a pg_cron job every minute, never on the hot paths (dispatch, claim, finish stay as
-- they are). Every candidate set is read through an existing index of sync_run_log:
-- pending runs (sync_run_log_pending_idx), running runs (sync_run_log_one_active_per_pair), runs
-- ended in the last hour (sync_run_log_ended_idx), per-pair history
-- (sync_run_log_pair_started_idx); open alerts through alerts_one_open_per_pair.
--   stale_pending      a pending run older than settings.stale_pending_alert;
--                      resolved when the pair has no such run.
--   drift              the pair's latest dispatched scheduled run started more than
--                      settings.drift_alert after its period; resolved by a later one on time.
--   worker_lost        a run the reaper failed with worker_lost, no completed run after it;
--                      resolved by a later completed run.
--   repeated_failures  the pair's last settings.failure_alert_runs finished runs failed;
--                      resolved when its latest finished run completed.
--   cold_start_failed  a cold start whose one retry failed too (cold_start and failed,
--                      issue 18); resolved by a later completed run of the pair.
-- Alerts open for enabled pairs only; any open alert of a pair that is disabled or removed
-- is resolved (a disabled pair's old failures never reopen one every minute). Resolved alerts older
-- than settings.alert_retention are deleted. Runs that ended more than an hour ago are not
-- looked at again (the job runs every minute).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refresh_alerts()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_s integration_ops.settings;
  v_since timestamptz;
  v_drift numeric;
  v_opened integer := 0;
  v_resolved integer := 0;
  v_deleted integer := 0;
  v_n integer;
  v_open integer;
BEGIN
  v_s := integration_ops.settings_row();
  v_since := v_now - interval '1 hour';
  v_drift := extract(epoch FROM v_s.drift_alert);

  -- stale_pending ---------------------------------------------------------------------------
  WITH up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT DISTINCT ON (s.org_id, s.integration_type)
           'stale_pending', s.org_id, s.integration_type, s.run_id,
           jsonb_build_object('waiting_seconds', round(extract(epoch FROM s.waiting)),
                              'delivery', s.delivery, 'created_at', s.created_at),
           v_now, v_now
      FROM integration_ops.get_stale_pending_sync_runs() AS s
     WHERE s.integration_type IN (SELECT t.integration_type FROM public.integration_types AS t)
       AND EXISTS (SELECT 1 FROM public.organization_integrations AS oi  -- enabled pairs only
                    WHERE oi.org_id = s.org_id AND oi.integration_type = s.integration_type AND oi.enabled)
     ORDER BY s.org_id, s.integration_type, s.created_at
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen),
                  run_id = EXCLUDED.run_id, detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind = 'stale_pending' AND a.resolved_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM public.sync_run_log AS r
                      WHERE r.org_id = a.org_id AND r.integration_type = a.integration_type
                        AND r.status = 'pending'
                        AND r.created_at < v_now - v_s.stale_pending_alert);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- drift -------------------------------------------------------------------------------------
  WITH late AS (
    SELECT r.id, r.org_id, r.integration_type, r.started_at, r.scheduled_for, r.drift_seconds
      FROM public.sync_run_log AS r
     WHERE r.status = 'running' AND r.scheduled_for IS NOT NULL AND r.drift_seconds > v_drift
    UNION ALL
    SELECT r.id, r.org_id, r.integration_type, r.started_at, r.scheduled_for, r.drift_seconds
      FROM public.sync_run_log AS r
     WHERE r.ended_at >= v_since AND r.status IN ('completed', 'failed', 'cancelled')
       AND r.scheduled_for IS NOT NULL AND r.drift_seconds > v_drift
  ), newest AS (
    SELECT DISTINCT ON (l.org_id, l.integration_type) l.*
      FROM late AS l
     ORDER BY l.org_id, l.integration_type, l.started_at DESC
  ), up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT 'drift', n.org_id, n.integration_type, n.id,
           jsonb_build_object('drift_seconds', round(n.drift_seconds, 3),
                              'scheduled_for', n.scheduled_for, 'started_at', n.started_at,
                              'drift_alert_seconds', v_drift),
           v_now, v_now
      FROM newest AS n
     WHERE EXISTS (SELECT 1 FROM public.organization_integrations AS oi  -- enabled pairs only
                    WHERE oi.org_id = n.org_id AND oi.integration_type = n.integration_type AND oi.enabled)
       AND NOT EXISTS (SELECT 1 FROM public.sync_run_log AS r2
                        WHERE r2.org_id = n.org_id AND r2.integration_type = n.integration_type
                          AND r2.started_at > n.started_at AND r2.status <> 'pending'
                          AND r2.scheduled_for IS NOT NULL)
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen),
                  run_id = EXCLUDED.run_id, detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind = 'drift' AND a.resolved_at IS NULL
     AND EXISTS (SELECT 1
                   FROM public.sync_run_log AS r2
                   LEFT JOIN public.sync_run_log AS lr ON lr.id = a.run_id
                  WHERE r2.org_id = a.org_id AND r2.integration_type = a.integration_type
                    AND r2.started_at > coalesce(lr.started_at, '-infinity')
                    AND r2.status <> 'pending' AND r2.scheduled_for IS NOT NULL
                    AND r2.drift_seconds <= v_drift);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- worker_lost -------------------------------------------------------------------------------
  WITH up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT DISTINCT ON (r.org_id, r.integration_type)
           'worker_lost', r.org_id, r.integration_type, r.id,
           jsonb_build_object('worker_id', r.worker_id, 'started_at', r.started_at,
                              'ended_at', r.ended_at),
           v_now, v_now
      FROM public.sync_run_log AS r
     WHERE r.ended_at >= v_since AND r.status = 'failed' AND r.error_code = 'worker_lost'
       AND EXISTS (SELECT 1 FROM public.organization_integrations AS oi  -- enabled pairs only
                    WHERE oi.org_id = r.org_id AND oi.integration_type = r.integration_type AND oi.enabled)
       AND NOT EXISTS (SELECT 1 FROM public.sync_run_log AS r2
                        WHERE r2.org_id = r.org_id AND r2.integration_type = r.integration_type
                          AND r2.started_at > r.started_at AND r2.status = 'completed')
     ORDER BY r.org_id, r.integration_type, r.started_at DESC
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen),
                  run_id = EXCLUDED.run_id, detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind = 'worker_lost' AND a.resolved_at IS NULL
     AND EXISTS (SELECT 1
                   FROM public.sync_run_log AS r2
                   LEFT JOIN public.sync_run_log AS lr ON lr.id = a.run_id
                  WHERE r2.org_id = a.org_id AND r2.integration_type = a.integration_type
                    AND r2.started_at > coalesce(lr.started_at, '-infinity')
                    AND r2.status = 'completed');
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- cold_start_failed (issue 18: the retry after a cold start failed as well) ----------------
  WITH up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT DISTINCT ON (r.org_id, r.integration_type)
           'cold_start_failed', r.org_id, r.integration_type, r.id,
           jsonb_build_object('error_code', r.error_code, 'worker_id', r.worker_id,
                              'started_at', r.started_at, 'ended_at', r.ended_at),
           v_now, v_now
      FROM public.sync_run_log AS r
     WHERE r.ended_at >= v_since AND r.status = 'failed' AND r.cold_start
       AND EXISTS (SELECT 1 FROM public.organization_integrations AS oi  -- enabled pairs only
                    WHERE oi.org_id = r.org_id AND oi.integration_type = r.integration_type AND oi.enabled)
       AND NOT EXISTS (SELECT 1 FROM public.sync_run_log AS r2
                        WHERE r2.org_id = r.org_id AND r2.integration_type = r.integration_type
                          AND r2.started_at > r.started_at AND r2.status = 'completed')
     ORDER BY r.org_id, r.integration_type, r.started_at DESC
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen),
                  run_id = EXCLUDED.run_id, detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind = 'cold_start_failed' AND a.resolved_at IS NULL
     AND EXISTS (SELECT 1
                   FROM public.sync_run_log AS r2
                   LEFT JOIN public.sync_run_log AS lr ON lr.id = a.run_id
                  WHERE r2.org_id = a.org_id AND r2.integration_type = a.integration_type
                    AND r2.started_at > coalesce(lr.started_at, '-infinity')
                    AND r2.status = 'completed');
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- repeated_failures -------------------------------------------------------------------------
  WITH pairs AS (
    SELECT DISTINCT r.org_id, r.integration_type
      FROM public.sync_run_log AS r
     WHERE r.ended_at >= v_since AND r.status = 'failed'
       AND EXISTS (SELECT 1 FROM public.organization_integrations AS oi  -- enabled pairs only
                    WHERE oi.org_id = r.org_id AND oi.integration_type = r.integration_type AND oi.enabled)
  ), judged AS (
    SELECT p.org_id, p.integration_type, lastn.n_runs, lastn.n_failed, lastn.newest_id,
           lastn.newest_code, streak.n AS consecutive
      FROM pairs AS p
      CROSS JOIN LATERAL (
        SELECT count(*) AS n_runs, count(*) FILTER (WHERE x.status = 'failed') AS n_failed,
               (array_agg(x.id ORDER BY x.started_at DESC))[1] AS newest_id,
               (array_agg(x.error_code ORDER BY x.started_at DESC))[1] AS newest_code
          FROM (SELECT r.id, r.status, r.error_code, r.started_at
                  FROM public.sync_run_log AS r
                 WHERE r.org_id = p.org_id AND r.integration_type = p.integration_type
                   AND r.status IN ('completed', 'failed')
                 ORDER BY r.started_at DESC
                 LIMIT v_s.failure_alert_runs) AS x
      ) AS lastn
      CROSS JOIN LATERAL (
        SELECT count(*) AS n
          FROM (SELECT r.status
                  FROM public.sync_run_log AS r
                 WHERE r.org_id = p.org_id AND r.integration_type = p.integration_type
                   AND r.status IN ('completed', 'failed')
                   AND r.started_at > coalesce((SELECT max(c.started_at) FROM public.sync_run_log AS c
                                                 WHERE c.org_id = p.org_id
                                                   AND c.integration_type = p.integration_type
                                                   AND c.status = 'completed'), '-infinity')
                 LIMIT 1000) AS f
      ) AS streak
  ), up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT 'repeated_failures', j.org_id, j.integration_type, j.newest_id,
           jsonb_build_object('consecutive_failures', j.consecutive,
                              'last_error_code', j.newest_code,
                              'failure_alert_runs', v_s.failure_alert_runs),
           v_now, v_now
      FROM judged AS j
     WHERE j.n_runs = v_s.failure_alert_runs AND j.n_failed = j.n_runs
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen),
                  run_id = EXCLUDED.run_id, detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind = 'repeated_failures' AND a.resolved_at IS NULL
     AND coalesce((SELECT r.status FROM public.sync_run_log AS r
                    WHERE r.org_id = a.org_id AND r.integration_type = a.integration_type
                      AND r.status IN ('completed', 'failed')
                    ORDER BY r.started_at DESC LIMIT 1), 'completed') = 'completed';
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- pairs disabled or removed -----------------------------------------------------------------
  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.resolved_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM public.organization_integrations AS oi
                      WHERE oi.org_id = a.org_id AND oi.integration_type = a.integration_type
                        AND oi.enabled);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- retention ---------------------------------------------------------------------------------
  DELETE FROM integration_ops.alerts AS a
   WHERE a.resolved_at IS NOT NULL AND a.resolved_at < v_now - v_s.alert_retention;
  GET DIAGNOSTICS v_deleted = ROW_COUNT;

  SELECT count(*) INTO v_open FROM integration_ops.alerts AS a WHERE a.resolved_at IS NULL;
  RETURN jsonb_build_object('opened', v_opened, 'resolved', v_resolved,
                            'deleted', v_deleted, 'open', v_open);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.refresh_alerts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.refresh_alerts() TO service_role;
COMMENT ON FUNCTION integration_ops.refresh_alerts() IS
  'Opens, refreshes and resolves integration_ops.alerts (drift, worker_lost, stale_pending, repeated_failures) from sync_run_log and deletes resolved alerts older than settings.alert_retention; returns {opened, resolved, deleted, open}. Run by the pg_cron job integration_refresh_alerts every minute; service_role may call it.';

COMMIT;
