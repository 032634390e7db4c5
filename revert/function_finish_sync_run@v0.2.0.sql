-- Revert integration-sync:function_finish_sync_run from pg (back to the 0.1 definition)
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text);

-- The one guarded status change out of `running` shared by update_run_log_status,
-- complete_sync_run, fail_sync_run and the pg_net reconciler: a single
-- UPDATE ... WHERE id = run_id AND status = 'running' RETURNING.

-- Passive health mode: a finished run reports its outcome through
-- integration_ops.record_sync_outcome_health, which acts only on pairs in passive mode.
CREATE OR REPLACE FUNCTION integration_ops.finish_sync_run(
  p_run_id uuid,
  p_status text,
  p_records_processed integer,
  p_records_failed integer,
  p_error_code text,
  p_error_message text
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_row public.sync_run_log;
BEGIN
  IF p_status NOT IN ('running', 'completed', 'failed', 'cancelled') THEN
    RAISE EXCEPTION 'finish_sync_run: bad target status %', p_status USING ERRCODE = 'XX000';
  END IF;

  UPDATE public.sync_run_log AS r
     SET status = p_status,
         records_processed = coalesce(p_records_processed, r.records_processed),
         records_failed = coalesce(p_records_failed, r.records_failed),
         error_code = p_error_code,
         error_message = integration_ops.sanitize_error_text(p_error_message),
         ended_at = CASE WHEN p_status = 'running' THEN NULL ELSE now() END,
         heartbeat_at = CASE WHEN p_status = 'running' THEN now() ELSE r.heartbeat_at END
   WHERE r.id = p_run_id
     AND r.status = 'running'
  RETURNING r.* INTO v_row;

  IF NOT FOUND THEN
    IF EXISTS (SELECT FROM public.sync_run_log AS r WHERE r.id = p_run_id) THEN
      PERFORM integration_ops.raise_error('invalid_transition',
        format('Run %s is not running: only a running run can change status.', p_run_id));
    END IF;
    PERFORM integration_ops.raise_error('run_not_found', format('No run with id %s.', p_run_id));
  END IF;

  IF p_status IN ('completed', 'failed') THEN
    PERFORM integration_ops.record_sync_outcome_health(
      v_row.org_id, v_row.integration_type, p_status = 'completed', v_row.error_message);
  END IF;
  RETURN v_row;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.finish_sync_run(uuid, text, integer, integer, text, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.finish_sync_run(uuid, text, integer, integer, text, text) IS
  'Internal: the one guarded status change out of running (UPDATE ... WHERE status = ''running''); running -> running is a progress update, terminal states set ended_at; NULL counts keep the stored ones; raises run_not_found / invalid_transition.';

COMMIT;
