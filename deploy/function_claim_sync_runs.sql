-- Deploy integration-sync:function_claim_sync_runs to pg
-- requires: function_claim_sync_runs@v0.2.0 index_sync_run_log_claim table_integration_types_max_concurrent_runs function_lock_type_cap table_sync_run_log_retries function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: timestamps from the engine's clock.
-- DESIGN §8: the worker claims the oldest pending runs (FOR UPDATE SKIP LOCKED).
-- 0.3 (issue 22, DESIGN §13): a retry is claimable from its not_before; a run of a pair that
-- is not enabled is never handed out; flow control per type (integration_types.
-- max_concurrent_runs) without slowing other types; O(claimed) through
-- sync_run_log_claim_idx. 0.3 (issue 21): worker_id is validated (no spaces, no `=`: it is
-- stored and shown).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.claim_sync_runs(worker_id text, max_runs integer)
RETURNS TABLE (
  run_id uuid, org_id uuid, integration_type text, endpoint_url text, triggered_by text,
  scheduled_for timestamptz, idempotency_key text, secret_ref text
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- jit off: with enable_sort off the plan looks costly enough for JIT, which then takes
-- hundreds of milliseconds per call to compile a statement that runs in microseconds
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_ids uuid[] := ARRAY[]::uuid[];
  v_part uuid[];
  v_left integer;
  v_slots integer;
  v_type record;
  v_enable_sort text;
BEGIN
  IF NOT integration_ops.is_worker_id(claim_sync_runs.worker_id) THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'worker_id is required: 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces).');
  END IF;
  IF claim_sync_runs.max_runs IS NULL OR claim_sync_runs.max_runs NOT BETWEEN 1 AND 1000 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'max_runs must be between 1 and 1000.');
  END IF;

  -- Type by type, the type whose oldest claimable run is oldest first, each taking what it
  -- may: up to the claim's size, and for a capped type (integration_types.max_concurrent_runs)
  -- no more than its cap minus its runs in flight. Claims of one capped type serialise on a
  -- lock of their own (so two claims cannot both fill the last slots); other types never
  -- wait for it. Each pick walks the head of sync_run_log_claim_idx for its type, in order,
  -- locking as it goes and stopping at its limit: O(claimed), however many runs of a full
  -- type or retries in backoff wait behind. Sorting is off for these statements (stale
  -- statistics after a burst would otherwise make the planner sort the whole queue).
  v_enable_sort := current_setting('enable_sort');
  PERFORM set_config('enable_sort', 'off', true);
  v_left := claim_sync_runs.max_runs;
  FOR v_type IN
    SELECT t.integration_type, t.max_concurrent_runs, h.ready
      FROM public.integration_types AS t
      CROSS JOIN LATERAL (
        SELECT coalesce(r.not_before, r.created_at) AS ready
          FROM public.sync_run_log AS r
         WHERE r.status = 'pending' AND r.integration_type = t.integration_type
           AND coalesce(r.not_before, r.created_at) <= v_now
         ORDER BY coalesce(r.not_before, r.created_at), r.id
         LIMIT 1) AS h
     ORDER BY h.ready
  LOOP
    EXIT WHEN v_left <= 0;
    v_slots := v_left;
    IF v_type.max_concurrent_runs IS NOT NULL THEN
      PERFORM integration_ops.lock_type_cap(v_type.integration_type);
      SELECT least(v_left, v_type.max_concurrent_runs - count(*)) INTO v_slots
        FROM public.sync_run_log AS r
       WHERE r.status = 'running' AND r.integration_type = v_type.integration_type;
    END IF;
    CONTINUE WHEN v_slots <= 0;
    SELECT array_agg(p.id) INTO v_part
      FROM (SELECT r.id
              FROM public.sync_run_log AS r
             WHERE r.status = 'pending' AND r.integration_type = v_type.integration_type
               AND coalesce(r.not_before, r.created_at) <= v_now
               -- only enabled pairs the worker delivers (pg_net pairs are posted by Postgres)
               AND EXISTS (SELECT FROM public.organization_integrations AS x
                            WHERE x.org_id = r.org_id AND x.integration_type = r.integration_type
                              AND x.enabled AND x.delivery = 'worker')
             ORDER BY coalesce(r.not_before, r.created_at), r.id
             LIMIT v_slots
               FOR UPDATE OF r SKIP LOCKED) AS p;
    IF v_part IS NOT NULL THEN
      v_ids := v_ids || v_part;
      v_left := v_left - cardinality(v_part);
      -- a capped type's claims are seen as running before its lock is released
      IF v_type.max_concurrent_runs IS NOT NULL THEN
        UPDATE public.sync_run_log AS r
           SET status = 'running', started_at = v_now, worker_id = claim_sync_runs.worker_id,
               heartbeat_at = v_now
         WHERE r.id = ANY (v_part);
      END IF;
    END IF;
  END LOOP;
  PERFORM set_config('enable_sort', v_enable_sort, true);
  IF cardinality(v_ids) = 0 THEN
    RETURN;
  END IF;

  -- The rows are ours (FOR UPDATE above, same transaction): still pending, so they are
  -- addressed by id alone. A `status = 'pending'` guard here let the planner walk the
  -- pending index (dead entries of every run claimed since the last vacuum) instead of
  -- probing the primary key: O(queue) per claim.
  UPDATE public.sync_run_log AS r
     SET status = 'running', started_at = v_now, worker_id = claim_sync_runs.worker_id,
         heartbeat_at = v_now
   WHERE r.id = ANY (v_ids) AND r.worker_id IS DISTINCT FROM claim_sync_runs.worker_id;

  RETURN QUERY
  SELECT r.id, r.org_id, r.integration_type, oi.endpoint_url, r.triggered_by, r.scheduled_for,
         r.idempotency_key, oi.secret_ref
    FROM public.sync_run_log AS r
    LEFT JOIN public.organization_integrations AS oi
      ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
   WHERE r.id = ANY (v_ids)
   ORDER BY coalesce(r.not_before, r.created_at), r.id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.claim_sync_runs(text,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.claim_sync_runs(text,integer) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.claim_sync_runs(text, integer) IS
  'Worker RPC: claim up to max_runs pending runs of enabled worker-delivered pairs, oldest first by the time each may be claimed (a retry''s not_before), at most integration_types.max_concurrent_runs of a capped type in flight (FOR UPDATE SKIP LOCKED), turned running with started_at = now(), worker_id and heartbeat_at; returns what the worker needs to POST them. worker_id: 1..100 of letters, digits and . _ : @ / + -.';

COMMIT;
