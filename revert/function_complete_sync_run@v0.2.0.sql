-- Revert integration-sync:function_complete_sync_run from pg (back to the 0.1 definition)
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.complete_sync_run(uuid, integer, integer, text);
-- DESIGN §8: running -> completed.

CREATE OR REPLACE FUNCTION integration_ops.complete_sync_run(run_id uuid, records_processed integer, records_failed integer)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF complete_sync_run.run_id IS NULL OR complete_sync_run.records_processed IS NULL
     OR complete_sync_run.records_failed IS NULL
     OR complete_sync_run.records_processed < 0 OR complete_sync_run.records_failed < 0 THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_id is required and the record counts must be non-negative integers.');
  END IF;
  RETURN integration_ops.finish_sync_run(complete_sync_run.run_id, 'completed',
    complete_sync_run.records_processed, complete_sync_run.records_failed, NULL, NULL);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.complete_sync_run(uuid, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.complete_sync_run(uuid, integer, integer) TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.complete_sync_run(uuid, integer, integer) IS
  'Worker RPC: running -> completed with the counts, ended_at = now() (one guarded UPDATE); run_not_found / invalid_transition otherwise. Passive-health pairs report healthy.';

COMMIT;
