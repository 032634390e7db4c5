-- Revert integration-sync:function_dispatch_due_syncs from pg (back to the 0.1 definition)
-- DESIGN §8: turn due schedules into pending runs, once per period, and wake delivery.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.dispatch_due_syncs()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_stale interval;
  v_drift_alert interval;
  v_pair record;
  v_active record;
  v_slot timestamptz;
  v_orgs uuid[] := ARRAY[]::uuid[];
  v_types text[] := ARRAY[]::text[];
  v_slots timestamptz[] := ARRAY[]::timestamptz[];
  v_keys text[] := ARRAY[]::text[];
  v_ids uuid[];
  v_skipped integer := 0;
  v_failed integer;
BEGIN
  -- Zero due pairs: return at once (the every-minute job is nearly free).
  IF NOT EXISTS (SELECT FROM public.organization_integrations AS oi
                  WHERE oi.enabled AND oi.sync_interval IS NOT NULL AND oi.next_sync_at <= now()) THEN
    RETURN jsonb_build_object('triggered', 0, 'skipped', 0, 'failed', 0, 'run_ids', '[]'::jsonb);
  END IF;

  SELECT s.stale_run_timeout, s.drift_alert INTO v_stale, v_drift_alert FROM integration_ops.settings AS s;

  -- Due pairs, locked; rows another dispatcher holds are skipped, not waited for.
  FOR v_pair IN
    SELECT oi.org_id, oi.integration_type, oi.sync_interval, oi.sync_anchor, oi.next_sync_at
      FROM public.organization_integrations AS oi
     WHERE oi.enabled AND oi.sync_interval IS NOT NULL AND oi.next_sync_at <= now()
     ORDER BY oi.next_sync_at
       FOR UPDATE SKIP LOCKED
  LOOP
    IF NOT pg_try_advisory_xact_lock(integration_ops.sync_pair_lock_key(v_pair.org_id, v_pair.integration_type)) THEN
      v_skipped := v_skipped + 1;
      CONTINUE;
    END IF;

    SELECT r.id, r.status, coalesce(r.heartbeat_at, r.started_at) AS seen_at INTO v_active
      FROM public.sync_run_log AS r
     WHERE r.org_id = v_pair.org_id AND r.integration_type = v_pair.integration_type
       AND r.status IN ('pending', 'running')
     LIMIT 1;
    IF FOUND THEN
      -- The pair stays due: its period runs as soon as the active run ends (same key).
      v_skipped := v_skipped + 1;
      IF v_active.status = 'running' AND v_active.seen_at > now() - v_stale THEN
        RAISE WARNING 'dispatch_due_syncs: % % skipped, run % is still running (last seen %)',
          v_pair.org_id, v_pair.integration_type, v_active.id, v_active.seen_at;
      END IF;
      CONTINUE;
    END IF;

    v_slot := date_bin(v_pair.sync_interval, v_pair.next_sync_at, v_pair.sync_anchor);
    v_orgs := v_orgs || v_pair.org_id;
    v_types := v_types || v_pair.integration_type;
    v_slots := v_slots || v_slot;
    v_keys := v_keys || (v_pair.org_id::text || ':' || v_pair.integration_type || ':'
                         || to_char(v_slot AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  END LOOP;

  IF cardinality(v_orgs) = 0 THEN
    RETURN jsonb_build_object('triggered', 0, 'skipped', v_skipped, 'failed', 0, 'run_ids', '[]'::jsonb);
  END IF;

  -- Advance the schedules to the next aligned boundary after now().
  UPDATE public.organization_integrations AS oi
     SET next_sync_at = integration_ops.next_sync_slot(oi.sync_interval, oi.sync_anchor, now())
    FROM unnest(v_orgs, v_types) AS d(org_id, integration_type)
   WHERE oi.org_id = d.org_id AND oi.integration_type = d.integration_type;

  -- One INSERT for all pairs; a period already run (idempotency key) inserts nothing.
  v_ids := ARRAY(SELECT integration_ops.enqueue_sync_runs(v_orgs, v_types, 'scheduler', NULL, v_slots, v_keys));
  v_skipped := v_skipped + cardinality(v_orgs) - cardinality(v_ids);

  -- Drift: how late each run starts after its period (stored as drift_seconds).
  FOR v_pair IN
    SELECT r.id, r.org_id, r.integration_type, r.started_at - r.scheduled_for AS drift
      FROM public.sync_run_log AS r
     WHERE r.id = ANY (v_ids) AND r.started_at - r.scheduled_for > v_drift_alert
  LOOP
    RAISE WARNING 'dispatch_due_syncs: run % for % % starts % after its scheduled period (drift alert %)',
      v_pair.id, v_pair.org_id, v_pair.integration_type, v_pair.drift, v_drift_alert;
  END LOOP;

  v_failed := integration_ops.wake_sync_delivery(v_ids);
  RETURN jsonb_build_object(
    'triggered', cardinality(v_ids) - v_failed,
    'skipped', v_skipped,
    'failed', v_failed,
    'run_ids', to_jsonb(v_ids));
END
$$;

REVOKE ALL ON FUNCTION integration_ops.dispatch_due_syncs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.dispatch_due_syncs() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.dispatch_due_syncs() IS
  'Worker RPC / pg_cron: create one pending run per due (enabled, scheduled) pair and period. FOR UPDATE SKIP LOCKED + pg_try_advisory_xact_lock per pair; pairs with an active run are skipped and stay due (WARNING when the running run is younger than settings.stale_run_timeout); one INSERT with idempotency_key org:type:period ON CONFLICT DO NOTHING; next_sync_at advanced to the next aligned boundary; WARNING when drift exceeds settings.drift_alert; wakes delivery. Returns {triggered, skipped, failed, run_ids}: triggered = runs created and handed to delivery, skipped = pairs locked elsewhere, busy or whose period already ran, failed = runs whose delivery failed at once (pg_net).';

COMMIT;
