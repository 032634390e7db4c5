-- Deploy integration-sync:function_complete_sync_run to pg
-- requires: function_complete_sync_run@v0.2.0 function_finish_sync_run function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: running -> completed, with a trailing worker_id (default NULL, so a 0.1 worker's
-- three-argument call still resolves): when given, another worker's run is refused with
-- invalid_transition and a repeated identical report returns the row.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.complete_sync_run(
  run_id uuid,
  records_processed integer,
  records_failed integer,
  worker_id text DEFAULT NULL
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF complete_sync_run.run_id IS NULL OR complete_sync_run.records_processed IS NULL
     OR complete_sync_run.records_failed IS NULL
     OR complete_sync_run.records_processed < 0 OR complete_sync_run.records_failed < 0
     OR (complete_sync_run.worker_id IS NOT NULL AND NOT integration_ops.is_worker_id(complete_sync_run.worker_id)) THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_id is required, the record counts must be non-negative integers and a worker_id 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces).');
  END IF;
  RETURN integration_ops.finish_sync_run(complete_sync_run.run_id, 'completed',
    complete_sync_run.records_processed, complete_sync_run.records_failed, NULL, NULL,
    complete_sync_run.worker_id);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.complete_sync_run(uuid,integer,integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.complete_sync_run(uuid,integer,integer,text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.complete_sync_run(uuid, integer, integer, text) IS
  'Worker RPC: running -> completed with the counts, ended_at set (the one finish path). With worker_id: a run claimed by another worker is invalid_transition; the same report repeated returns the row. run_not_found / invalid_transition otherwise. Passive-health pairs report healthy.';

COMMIT;
