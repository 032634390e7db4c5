-- Deploy integration-sync:function_enqueue_sync_runs to pg
-- requires: function_enqueue_sync_runs@v0.1.0 function_clock
-- 0.2: the engine's one insert path for pending runs (dispatcher and manual trigger), its
-- timestamps from the engine's clock. Callers hold the pair's advisory lock
-- (integration_ops.sync_pair_lock_key) while they check and insert.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.enqueue_sync_runs(
  org_ids uuid[],
  integration_types text[],
  triggered_by text,
  triggered_by_user_id uuid,
  scheduled_fors timestamptz[],
  idempotency_keys text[]
)
RETURNS SETOF uuid
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
  -- ON CONFLICT DO NOTHING covers both guards: the idempotency key (one run per period)
  -- and the partial unique index on active runs (one pending/running run per pair).
  -- A pair that conflicts simply yields no id; no raw 23505 ever reaches a caller.
  INSERT INTO public.sync_run_log AS r
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, scheduled_for,
     idempotency_key, created_at, started_at)
  SELECT p.org_id, p.integration_type, 'pending', enqueue_sync_runs.triggered_by,
         enqueue_sync_runs.triggered_by_user_id, p.scheduled_for, p.idempotency_key,
         integration_ops.clock(), integration_ops.clock()
    FROM unnest(enqueue_sync_runs.org_ids, enqueue_sync_runs.integration_types,
                enqueue_sync_runs.scheduled_fors, enqueue_sync_runs.idempotency_keys)
         AS p(org_id, integration_type, scheduled_for, idempotency_key)
  ON CONFLICT DO NOTHING
  RETURNING r.id
$$;

REVOKE ALL ON FUNCTION integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[]) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[]) IS
  'Internal: the engine''s single insert path. One INSERT of pending runs stamped with integration_ops.clock(), ON CONFLICT DO NOTHING (idempotency key, one active run per pair); returns the ids created. Callers hold the pair locks.';

COMMIT;
