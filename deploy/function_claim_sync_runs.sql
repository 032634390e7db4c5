-- Deploy integration-sync:function_claim_sync_runs to pg
-- requires: function_claim_sync_runs@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: timestamps from the engine's clock.
-- DESIGN §8: the worker claims the oldest pending runs (FOR UPDATE SKIP LOCKED).
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
AS $$
#variable_conflict use_column
DECLARE
  v_ids uuid[];
  v_enable_sort text;
  v_now timestamptz := integration_ops.clock();
BEGIN
  IF claim_sync_runs.worker_id IS NULL OR btrim(claim_sync_runs.worker_id) = ''
     OR length(claim_sync_runs.worker_id) > 200 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'worker_id is required (at most 200 characters).');
  END IF;
  IF claim_sync_runs.max_runs IS NULL OR claim_sync_runs.max_runs NOT BETWEEN 1 AND 1000 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'max_runs must be between 1 and 1000.');
  END IF;

  -- Pick by walking the pending index in order, stopping at max_runs. A burst of new
  -- pending runs in a large table leaves the statistics saying "no pending rows"; the
  -- planner would then take the active-run index and sort the whole queue on every
  -- claim (O(queue) per claim). Sorting is disabled for this one statement only.
  v_enable_sort := current_setting('enable_sort');
  PERFORM set_config('enable_sort', 'off', true);
  SELECT array_agg(p.id) INTO v_ids
    FROM (SELECT r.id
            FROM public.sync_run_log AS r
           WHERE r.status = 'pending'
             -- pg_net pairs are delivered by Postgres itself, never by the worker
             AND NOT EXISTS (SELECT FROM public.organization_integrations AS x
                              WHERE x.org_id = r.org_id AND x.integration_type = r.integration_type
                                AND x.delivery = 'pg_net')
           ORDER BY r.created_at, r.id
           LIMIT claim_sync_runs.max_runs
             FOR UPDATE OF r SKIP LOCKED) AS p;
  PERFORM set_config('enable_sort', v_enable_sort, true);
  IF v_ids IS NULL THEN
    RETURN;
  END IF;

  RETURN QUERY
  WITH claimed AS (
    -- The rows are ours (FOR UPDATE above, same transaction): still pending, so they are
    -- addressed by id alone. A `status = 'pending'` guard here let the planner walk the
    -- pending index (dead entries of every run claimed since the last vacuum) instead of
    -- probing the primary key: O(queue) per claim.
    UPDATE public.sync_run_log AS r
       SET status = 'running', started_at = v_now, worker_id = claim_sync_runs.worker_id,
           heartbeat_at = v_now
     WHERE r.id = ANY (v_ids)
    RETURNING r.id, r.org_id, r.integration_type, r.triggered_by, r.scheduled_for,
              r.idempotency_key, r.created_at
  )
  SELECT c.id, c.org_id, c.integration_type, oi.endpoint_url, c.triggered_by, c.scheduled_for,
         c.idempotency_key, oi.secret_ref
    FROM claimed AS c
    LEFT JOIN public.organization_integrations AS oi
      ON oi.org_id = c.org_id AND oi.integration_type = c.integration_type
   ORDER BY c.created_at, c.id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.claim_sync_runs(text,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.claim_sync_runs(text,integer) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.claim_sync_runs(text, integer) IS
  'Worker RPC: claim up to max_runs oldest pending runs of worker-delivered pairs (FOR UPDATE SKIP LOCKED), turned running with started_at = now(), worker_id and heartbeat_at; returns what the worker needs to POST them.';

COMMIT;
