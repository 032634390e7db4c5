-- Deploy integration-sync:function_update_run_log_status to pg
-- requires: function_finish_sync_run function_authorize
-- DESIGN §5: the one atomic status change of a running run, for service_role.
BEGIN;

CREATE OR REPLACE FUNCTION public.update_run_log_status(
  run_id uuid,
  status text,
  records_processed integer,
  records_failed integer,
  error_message text
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
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

REVOKE ALL ON FUNCTION public.update_run_log_status(uuid, text, integer, integer, text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.update_run_log_status(uuid, text, integer, integer, text) TO service_role;
COMMENT ON FUNCTION public.update_run_log_status(uuid, text, integer, integer, text) IS
  'service_role: UPDATE ... WHERE id = run_id AND status = ''running''. running -> running is a progress update (counts, message, heartbeat); completed/failed/cancelled set ended_at; a NULL error_message clears the stored one (messages are sanitised). Other states: invalid_transition; unknown id: run_not_found.';

COMMIT;
