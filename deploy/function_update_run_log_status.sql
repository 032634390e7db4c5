-- Deploy integration-sync:function_update_run_log_status to pg
-- requires: function_update_run_log_status@v0.2.0 function_finish_sync_run
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: the exposed RPC public.update_run_log_status is SECURITY INVOKER and holds no privilege of its own;
-- its body, with every check, is the SECURITY DEFINER function integration_ops.update_run_log_status in
-- the schema PostgREST does not expose (Supabase's advisor: no definer function that
-- signed-in users can call through /rest/v1/rpc).
-- DESIGN §5: the one atomic status change of a running run, for service_role.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.update_run_log_status(
  run_id uuid,
  status text,
  records_processed integer,
  records_failed integer,
  error_message text
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM integration_ops.require_caller();
  IF update_run_log_status.run_id IS NULL OR update_run_log_status.status IS NULL
     OR update_run_log_status.records_processed IS NULL OR update_run_log_status.records_failed IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_id, status, records_processed and records_failed are required.');
  END IF;
  IF update_run_log_status.status NOT IN ('running', 'completed', 'failed', 'cancelled') THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'status must be running, completed, failed or cancelled.');
  END IF;
  IF update_run_log_status.records_processed < 0 OR update_run_log_status.records_failed < 0 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'Record counts cannot be negative.');
  END IF;
  RETURN integration_ops.finish_sync_run(
    update_run_log_status.run_id, update_run_log_status.status,
    update_run_log_status.records_processed, update_run_log_status.records_failed,
    NULL, update_run_log_status.error_message);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.update_run_log_status(uuid,text,integer,integer,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.update_run_log_status(uuid,text,integer,integer,text) TO service_role;
COMMENT ON FUNCTION integration_ops.update_run_log_status(uuid,text,integer,integer,text) IS
  'Body of public.update_run_log_status (SECURITY DEFINER, not exposed): the checks and the work. Call public.update_run_log_status.';

CREATE OR REPLACE FUNCTION public.update_run_log_status(
  run_id uuid,
  status text,
  records_processed integer,
  records_failed integer,
  error_message text
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.update_run_log_status(update_run_log_status.run_id, update_run_log_status.status, update_run_log_status.records_processed, update_run_log_status.records_failed, update_run_log_status.error_message);
END
$$;

REVOKE ALL ON FUNCTION public.update_run_log_status(uuid,text,integer,integer,text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.update_run_log_status(uuid,text,integer,integer,text) TO service_role;
COMMENT ON FUNCTION public.update_run_log_status(uuid, text, integer, integer, text) IS
  'service_role: UPDATE ... WHERE id = run_id AND status = ''running''. running -> running is a progress update (counts, message, heartbeat); completed/failed/cancelled set ended_at; a NULL error_message clears the stored one (messages are sanitised). Other states: invalid_transition; unknown id: run_not_found.';

COMMIT;
