-- Deploy integration-sync:function_dispatch_sync_batch to pg
-- requires: function_dispatch_sync_batch@v0.2.0 table_sync_run_log_retries table_settings_outcome_tunables function_wake_sync_delivery function_enqueue_sync_runs function_next_sync_slot
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The dispatcher's body (0.2): one call handles ONE bounded batch (settings.dispatch_batch_size), so its row and
-- advisory locks are bounded by the batch, never by the number of due pairs; the pg_cron
-- procedure integration_ops.dispatch_all_due_syncs() repeats it, committing in between,
-- until nothing is due.
--  * The batch is chosen set-based: due, enabled, scheduled pairs without an active run,
--    oldest period first, FOR UPDATE SKIP LOCKED, LIMIT; then the pair advisory lock that
--    every creation path takes (trigger_integration_sync, insert_run_log) — a pair whose
--    lock is held elsewhere is skipped and stays due.
--  * A period becomes exactly one run: the run for the pair's oldest due period is
--    inserted with idempotency_key org:type:period; next_sync_at advances ONE period, and
--    only when that period's run exists (created now or earlier). A period whose run could
--    not be created (an active run appeared meanwhile) leaves the pair due for that same
--    period. Missed periods are therefore replayed one by one, oldest first.
-- 0.3 (issue 22, DESIGN §13 catch-up): missed periods are replayed oldest first; with
-- settings.max_catch_up_periods = K a pair more than K periods behind runs only its newest K
-- and each older missed period becomes a `skipped` row (error_code catch_up_limit, visible
-- and re-runnable with retry_sync_run); the result counts them as skipped_periods.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.dispatch_sync_batch()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_settings integration_ops.settings;
  v_picked integer;
  v_orgs uuid[];
  v_types text[];
  v_slots timestamptz[];
  v_keys text[];
  v_rows tid[];
  v_ids uuid[];
  v_skipped integer;
  v_failed integer;
  v_late integer;
  v_pair record;
  v_skipped_periods integer := 0;
BEGIN
  -- Zero due pairs: return at once (the every-minute job is nearly free). min() over the
  -- partial due index reads its first entry whatever the plan: `next_sync_at <= v_now`
  -- compares with a variable, and the generic plan PL/pgSQL switches to from a session's
  -- sixth call would estimate a third of all pairs and scan them all on every idle poll.
  IF coalesce((SELECT min(oi.next_sync_at) FROM public.organization_integrations AS oi
                WHERE oi.enabled AND oi.sync_interval IS NOT NULL) > v_now, true) THEN
    RETURN jsonb_build_object('triggered', 0, 'skipped', 0, 'failed', 0, 'run_ids', '[]'::jsonb, 'skipped_periods', 0,
                              'more', false);
  END IF;
  v_settings := integration_ops.settings_row();

  -- 1. One bounded batch, row-locked, then pair-locked.
  WITH picked AS MATERIALIZED (
    SELECT oi.ctid AS row_id, oi.org_id, oi.integration_type, oi.sync_interval, oi.sync_anchor, oi.next_sync_at
      FROM public.organization_integrations AS oi
     WHERE oi.enabled AND oi.sync_interval IS NOT NULL AND oi.next_sync_at <= v_now
       AND NOT EXISTS (SELECT FROM public.sync_run_log AS r
                        WHERE r.org_id = oi.org_id AND r.integration_type = oi.integration_type
                          AND r.status IN ('pending', 'running'))
     ORDER BY oi.next_sync_at
     LIMIT v_settings.dispatch_batch_size
       FOR UPDATE OF oi SKIP LOCKED
  ), locked AS MATERIALIZED (
    SELECT p.row_id, p.org_id, p.integration_type, p.sync_interval,
           date_bin(p.sync_interval, p.next_sync_at, p.sync_anchor) AS slot,
           date_bin(p.sync_interval, v_now, p.sync_anchor) AS newest
      FROM picked AS p
     WHERE pg_try_advisory_xact_lock(integration_ops.sync_pair_lock_key(p.org_id, p.integration_type))
  ), bounded AS MATERIALIZED (
    -- 0.3 catch-up bound: with settings.max_catch_up_periods = K, a pair more than K periods
    -- behind runs its newest K (oldest of them first); the older ones become skipped rows.
    SELECT l.row_id, l.org_id, l.integration_type, l.sync_interval, l.slot,
           CASE WHEN v_settings.max_catch_up_periods IS NOT NULL
                 AND l.newest - l.slot >= l.sync_interval * v_settings.max_catch_up_periods
                THEN l.newest - l.sync_interval * (v_settings.max_catch_up_periods - 1)
                ELSE l.slot END AS run_slot
      FROM locked AS l
  ), skipped AS (
    INSERT INTO public.sync_run_log AS r
      (org_id, integration_type, status, triggered_by, scheduled_for, idempotency_key,
       created_at, started_at, ended_at, error_code, error_message)
    SELECT b.org_id, b.integration_type, 'skipped', 'scheduler', g.period,
           b.org_id::text || ':' || b.integration_type || ':'
             || to_char(g.period AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           v_now, v_now, v_now, 'catch_up_limit',
           format('Skipped: the integration was more than %s periods behind (settings.max_catch_up_periods); run it with retry_sync_run.',
                  v_settings.max_catch_up_periods)
      FROM bounded AS b
      CROSS JOIN LATERAL generate_series(b.slot, b.run_slot - b.sync_interval, b.sync_interval) AS g(period)
     WHERE b.run_slot > b.slot
    ON CONFLICT DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM picked), (SELECT count(*) FROM skipped),
         coalesce(array_agg(b.org_id), '{}'), coalesce(array_agg(b.integration_type), '{}'),
         coalesce(array_agg(b.run_slot), '{}'), coalesce(array_agg(b.row_id), '{}'),
         coalesce(array_agg(b.org_id::text || ':' || b.integration_type || ':'
                            || to_char(b.run_slot AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')), '{}')
    INTO v_picked, v_skipped_periods, v_orgs, v_types, v_slots, v_rows, v_keys
    FROM bounded AS b;

  -- 2. One INSERT for the batch; a period that already has its run inserts nothing.
  v_ids := ARRAY(SELECT integration_ops.enqueue_sync_runs(v_orgs, v_types, 'scheduler', NULL, v_slots, v_keys));

  -- 3. Advance each pair one period, only where that period's run exists. The rows are
  --    addressed by the ctid read under our row lock (stable until we commit): a TID scan,
  --    never a join over all pairs.
  UPDATE public.organization_integrations AS oi
     SET next_sync_at = integration_ops.next_sync_slot(oi.sync_interval, oi.sync_anchor, d.slot)
    FROM unnest(v_rows, v_slots, v_keys) AS d(row_id, slot, idempotency_key)
   WHERE oi.ctid = d.row_id
     AND EXISTS (SELECT FROM public.sync_run_log AS r WHERE r.idempotency_key = d.idempotency_key);

  v_skipped := v_picked - cardinality(v_ids);

  -- 4. The last batch of a tick: report pairs kept due by a run that is still running.
  IF v_picked < v_settings.dispatch_batch_size THEN
    FOR v_pair IN
      SELECT oi.org_id, oi.integration_type, r.id, r.status, coalesce(r.heartbeat_at, r.started_at) AS seen_at
        FROM public.organization_integrations AS oi
        JOIN public.sync_run_log AS r
          ON r.org_id = oi.org_id AND r.integration_type = oi.integration_type
         AND r.status IN ('pending', 'running')
       WHERE oi.enabled AND oi.sync_interval IS NOT NULL AND oi.next_sync_at <= v_now
         AND r.id <> ALL (v_ids)
    LOOP
      v_skipped := v_skipped + 1;
      IF v_pair.status = 'running' AND v_pair.seen_at > v_now - v_settings.stale_run_timeout THEN
        RAISE WARNING 'dispatch_due_syncs: % % skipped, run % is still running (last seen %)',
          v_pair.org_id, v_pair.integration_type, v_pair.id, v_pair.seen_at;
      END IF;
    END LOOP;
  END IF;

  -- Drift: how late each new run starts after its period. At most 10 lines per batch (a
  -- late herd must not flood the log), then one line for the rest.
  v_late := 0;
  FOR v_pair IN
    SELECT r.id, r.org_id, r.integration_type, r.started_at - r.scheduled_for AS drift
      FROM public.sync_run_log AS r
     WHERE r.id = ANY (v_ids) AND r.started_at - r.scheduled_for > v_settings.drift_alert
  LOOP
    v_late := v_late + 1;
    CONTINUE WHEN v_late > 10;
    RAISE WARNING 'dispatch_due_syncs: run % for % % starts % after its scheduled period (drift alert %)',
      v_pair.id, v_pair.org_id, v_pair.integration_type, v_pair.drift, v_settings.drift_alert;
  END LOOP;
  IF v_late > 10 THEN
    RAISE WARNING 'dispatch_due_syncs: and % more runs of this batch start later than the drift alert %',
      v_late - 10, v_settings.drift_alert;
  END IF;

  v_failed := integration_ops.wake_sync_delivery(v_ids);
  RETURN jsonb_build_object(
    'triggered', cardinality(v_ids) - v_failed,
    'skipped', v_skipped,
    'failed', v_failed,
    'run_ids', to_jsonb(v_ids),
    'skipped_periods', v_skipped_periods,
    'more', v_picked >= v_settings.dispatch_batch_size);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.dispatch_sync_batch() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.dispatch_sync_batch() IS
  'Internal: the body of dispatch_due_syncs(): one bounded batch (settings.dispatch_batch_size) of due pairs without an active run, oldest period first: FOR UPDATE SKIP LOCKED + the pair advisory lock; one pending run per pair for its oldest due period (idempotency_key org:type:period, one INSERT ON CONFLICT DO NOTHING); next_sync_at advances one period only where that period''s run exists, so no period is lost and missed periods replay in order. Returns {triggered, skipped, failed, run_ids, more}: more = a full batch was taken (dispatch_all_due_syncs() calls again).';

COMMIT;
