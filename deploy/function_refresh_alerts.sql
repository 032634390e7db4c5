-- Deploy integration-sync:function_refresh_alerts to pg
-- requires: function_refresh_alerts@v0.2.0 table_alerts_outcome_kinds function_is_retryable_error table_settings_outcome_tunables function_get_stale_pending_sync_runs
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
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
-- 0.3 (issue 22): two kinds more: retries_exhausted (a period's last attempt failed with a
-- transient code after settings.retry_max_attempts: an alert names every exhausted chain)
-- and lagging (an enabled pair's oldest period without a run is older than
-- settings.lag_alert); a waiting retry is stale only from its not_before.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refresh_alerts()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
                        AND coalesce(r.not_before, r.created_at) < v_now - v_s.stale_pending_alert);
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

  -- worker_lost and cold_start_failed: one rule for both kinds ------------------------------
  -- A failed run of the kind (the reaper's worker_lost; a cold start whose one retry failed
  -- too, issue 18) with no completed run of the pair after it; resolved by a later
  -- completed run.
  WITH up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT DISTINCT ON (k.kind, r.org_id, r.integration_type)
           k.kind, r.org_id, r.integration_type, r.id,
           jsonb_build_object('error_code', r.error_code, 'worker_id', r.worker_id,
                              'started_at', r.started_at, 'ended_at', r.ended_at),
           v_now, v_now
      FROM public.sync_run_log AS r
     CROSS JOIN LATERAL (VALUES ('worker_lost', r.error_code = 'worker_lost'),
                                ('cold_start_failed', r.cold_start)) AS k (kind, applies)
     WHERE r.ended_at >= v_since AND r.status = 'failed' AND k.applies
       AND EXISTS (SELECT 1 FROM public.organization_integrations AS oi  -- enabled pairs only
                    WHERE oi.org_id = r.org_id AND oi.integration_type = r.integration_type AND oi.enabled)
       AND NOT EXISTS (SELECT 1 FROM public.sync_run_log AS r2
                        WHERE r2.org_id = r.org_id AND r2.integration_type = r.integration_type
                          AND r2.started_at > r.started_at AND r2.status = 'completed')
     ORDER BY k.kind, r.org_id, r.integration_type, r.started_at DESC
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen),
                  run_id = EXCLUDED.run_id, detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind IN ('worker_lost', 'cold_start_failed') AND a.resolved_at IS NULL
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

  -- retries_exhausted (0.3) -------------------------------------------------------------------
  -- A period whose last attempt failed with a transient code after settings.retry_max_attempts
  -- attempts (its export is missing until someone retries it), with no completed run of the
  -- pair after it; resolved by a later completed run.
  WITH up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT DISTINCT ON (r.org_id, r.integration_type)
           'retries_exhausted', r.org_id, r.integration_type, r.id,
           jsonb_build_object('error_code', r.error_code, 'attempts', r.attempt,
                              'scheduled_for', r.scheduled_for, 'ended_at', r.ended_at,
                              'idempotency_key', r.idempotency_key),
           v_now, v_now
      FROM public.sync_run_log AS r
     WHERE r.ended_at >= v_since AND r.status = 'failed'
       AND r.attempt >= v_s.retry_max_attempts AND integration_ops.is_retryable_error(r.error_code)
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
   WHERE a.kind = 'retries_exhausted' AND a.resolved_at IS NULL
     AND EXISTS (SELECT 1
                   FROM public.sync_run_log AS r2
                   LEFT JOIN public.sync_run_log AS lr ON lr.id = a.run_id
                  WHERE r2.org_id = a.org_id AND r2.integration_type = a.integration_type
                    AND r2.started_at > coalesce(lr.started_at, '-infinity')
                    AND r2.status = 'completed');
  GET DIAGNOSTICS v_n = ROW_COUNT;
  v_resolved := v_resolved + v_n;

  -- lagging (0.3) ------------------------------------------------------------------------------
  -- An enabled scheduled pair whose oldest period without a run (next_sync_at) is older than
  -- settings.lag_alert: it is falling behind (runs slower than its interval, a long retry
  -- chain, an outage). Read from the due index; resolved when it has caught up.
  WITH up AS (
    INSERT INTO integration_ops.alerts AS a
           (kind, org_id, integration_type, run_id, detail, first_seen, last_seen)
    SELECT 'lagging', oi.org_id, oi.integration_type, NULL,
           jsonb_build_object('lag_seconds', round(extract(epoch FROM v_now - oi.next_sync_at)),
                              'oldest_period_without_run', oi.next_sync_at,
                              'sync_interval', oi.sync_interval,
                              'lag_alert_seconds', round(extract(epoch FROM v_s.lag_alert))),
           v_now, v_now
      FROM public.organization_integrations AS oi
     WHERE oi.enabled AND oi.sync_interval IS NOT NULL AND oi.next_sync_at < v_now - v_s.lag_alert
    ON CONFLICT (kind, org_id, integration_type) WHERE resolved_at IS NULL
    DO UPDATE SET last_seen = greatest(a.last_seen, EXCLUDED.last_seen), detail = EXCLUDED.detail
    RETURNING (xmax = 0) AS inserted
  )
  SELECT count(*) FILTER (WHERE inserted) INTO v_n FROM up;
  v_opened := v_opened + v_n;

  UPDATE integration_ops.alerts AS a SET resolved_at = v_now
   WHERE a.kind = 'lagging' AND a.resolved_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM public.organization_integrations AS oi
                      WHERE oi.org_id = a.org_id AND oi.integration_type = a.integration_type
                        AND oi.sync_interval IS NOT NULL AND oi.next_sync_at < v_now - v_s.lag_alert);
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
  'Opens, refreshes and resolves integration_ops.alerts (drift, worker_lost, stale_pending, repeated_failures, cold_start_failed, retries_exhausted, lagging) from sync_run_log and organization_integrations and deletes resolved alerts older than settings.alert_retention; returns {opened, resolved, deleted, open}. Run by the pg_cron job integration_refresh_alerts every minute; service_role may call it.';

COMMIT;
