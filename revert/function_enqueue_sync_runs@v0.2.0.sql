-- Revert integration-sync:function_enqueue_sync_runs from pg (back to the 0.1 definition)
-- The one insert path of the engine: scheduled runs (dispatcher) and manual runs
-- (trigger_integration_sync) are created here, in one INSERT, as `pending` runs.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- Advisory-lock key of an (org, integration type) pair, shared by the dispatcher and the
-- manual trigger.
CREATE OR REPLACE FUNCTION integration_ops.sync_pair_lock_key(org_id uuid, integration_type text)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT hashtextextended('integration_sync:' || sync_pair_lock_key.org_id::text || ':'
                          || sync_pair_lock_key.integration_type, 0)
$$;

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
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, scheduled_for, idempotency_key)
  SELECT p.org_id, p.integration_type, 'pending', enqueue_sync_runs.triggered_by,
         enqueue_sync_runs.triggered_by_user_id, p.scheduled_for, p.idempotency_key
    FROM unnest(enqueue_sync_runs.org_ids, enqueue_sync_runs.integration_types,
                enqueue_sync_runs.scheduled_fors, enqueue_sync_runs.idempotency_keys)
         AS p(org_id, integration_type, scheduled_for, idempotency_key)
  ON CONFLICT DO NOTHING
  RETURNING r.id
$$;

REVOKE ALL ON FUNCTION integration_ops.sync_pair_lock_key(uuid, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[]) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sync_pair_lock_key(uuid, text) IS
  'Internal: the transaction advisory-lock key of an (org, integration type) pair.';
COMMENT ON FUNCTION integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[]) IS
  'Internal: the engine''s single insert path. One INSERT of pending runs, ON CONFLICT DO NOTHING (idempotency key, one active run per pair); returns the ids created.';

COMMIT;
