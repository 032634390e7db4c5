-- Deploy integration-sync:function_heartbeat_sync_runs to pg
-- requires: function_heartbeat_sync_runs@v0.2.0 function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: timestamps from the engine's clock. Only the claiming worker's running runs are touched.
-- DESIGN §8: a worker keeps its running runs alive.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.heartbeat_sync_runs(worker_id text, run_ids uuid[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_count integer;
BEGIN
  IF NOT integration_ops.is_worker_id(heartbeat_sync_runs.worker_id) OR heartbeat_sync_runs.run_ids IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_ids is required and worker_id must be 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces).');
  END IF;
  UPDATE public.sync_run_log AS r
     SET heartbeat_at = integration_ops.clock()
   WHERE r.id = ANY (heartbeat_sync_runs.run_ids)
     AND r.worker_id = heartbeat_sync_runs.worker_id
     AND r.status = 'running';
  GET DIAGNOSTICS v_count = ROW_COUNT;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.heartbeat_sync_runs(text,uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.heartbeat_sync_runs(text,uuid[]) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.heartbeat_sync_runs(text, uuid[]) IS
  'Worker RPC: refresh heartbeat_at of this worker''s running runs among run_ids; returns how many were refreshed (a run no longer running or claimed by another worker is not).';

COMMIT;
