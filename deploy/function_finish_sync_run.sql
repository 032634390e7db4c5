-- Deploy integration-sync:function_finish_sync_run to pg
-- requires: function_finish_sync_run@v0.2.0 function_schedule_retry function_is_retryable_error function_lock_pair
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: the one finish path for every transition out of pending/running
-- (update_run_log_status, complete_sync_run, fail_sync_run, the pg_net reconciler, the
-- pending-run cancellations). One guarded UPDATE; the transition guard trigger refuses
-- anything outside the contract and the passive-health trigger reports the outcome.
--  * p_worker_id (new, default NULL): when given, a run claimed by another worker is
--    refused with invalid_transition;
--  * a repeated report is harmless: the same worker finishing a run that already ended
--    with the same outcome gets the row back, not an error (reports are retried after a
--    lost connection).
-- 0.3 (issue 22, DESIGN §13 "Retries"): a failure with a transient code schedules the
-- period's next attempt (integration_ops.schedule_retry), honouring the answer's
-- Retry-After (p_retry_after, new trailing parameter). Such a failure takes the pair lock
-- BEFORE the run's row lock (the order every other path takes them in).
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The parameter list grows: the 0.2 signature goes (same name, callers unchanged).
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text);

CREATE OR REPLACE FUNCTION integration_ops.finish_sync_run(
  p_run_id uuid,
  p_status text,
  p_records_processed integer,
  p_records_failed integer,
  p_error_code text,
  p_error_message text,
  p_worker_id text DEFAULT NULL,
  p_retry_after text DEFAULT NULL
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_row public.sync_run_log;
  v_now timestamptz := integration_ops.clock();
  v_retry boolean := p_status = 'failed' AND integration_ops.is_retryable_error(p_error_code);
BEGIN
  IF p_status IS NULL OR p_status NOT IN ('running', 'completed', 'failed', 'cancelled') THEN
    RAISE EXCEPTION 'finish_sync_run: bad target status %', p_status USING ERRCODE = 'XX000';
  END IF;

  -- A failure that may be retried creates a run: the pair lock first, then the row lock.
  IF v_retry THEN
    SELECT r.* INTO v_row FROM public.sync_run_log AS r WHERE r.id = p_run_id;
    IF FOUND THEN
      PERFORM integration_ops.lock_pair(v_row.org_id, v_row.integration_type);
    END IF;
  END IF;

  -- The run by its id alone (one primary-key probe), locked, then judged here. A guard in
  -- the WHERE clause (status = 'running') would let the planner pick the small partial
  -- index on running runs: with stale statistics (a burst of claims) it walks every
  -- running run for each report (measured 2.8-9 ms with 2,000 running).
  SELECT r.* INTO v_row FROM public.sync_run_log AS r WHERE r.id = p_run_id FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM integration_ops.raise_error('run_not_found', format('No run with id %s.', p_run_id));
  END IF;

  IF (v_row.status = 'running' OR (v_row.status = 'pending' AND p_status IN ('cancelled', 'failed')))
     AND (p_worker_id IS NULL OR v_row.worker_id = p_worker_id) THEN
    UPDATE public.sync_run_log AS r
       SET status = p_status,
           records_processed = coalesce(p_records_processed, r.records_processed),
           records_failed = coalesce(p_records_failed, r.records_failed),
           error_code = p_error_code,
           error_message = integration_ops.sanitize_error_text(p_error_message),
           ended_at = CASE WHEN p_status = 'running' THEN NULL ELSE v_now END,
           heartbeat_at = CASE WHEN p_status = 'running' THEN v_now ELSE r.heartbeat_at END
     WHERE r.id = p_run_id
    RETURNING r.* INTO v_row;
    IF v_retry THEN
      PERFORM integration_ops.schedule_retry(p_run_id, p_retry_after);
    END IF;
    RETURN v_row;
  END IF;

  IF p_worker_id IS NOT NULL AND v_row.worker_id IS DISTINCT FROM p_worker_id THEN
    PERFORM integration_ops.raise_error('invalid_transition',
      format('Run %s is not claimed by worker %s.', p_run_id, left(p_worker_id, 100)));
  END IF;
  -- The same report again (a retry after a lost connection): the run already ended so.
  IF p_worker_id IS NOT NULL AND v_row.status = p_status AND p_status <> 'running'
     AND v_row.error_code IS NOT DISTINCT FROM p_error_code
     AND (p_records_processed IS NULL OR v_row.records_processed = p_records_processed)
     AND (p_records_failed IS NULL OR v_row.records_failed = p_records_failed) THEN
    RETURN v_row;
  END IF;
  PERFORM integration_ops.raise_error('invalid_transition',
    format('Run %s is %s: it cannot become %s.', p_run_id, v_row.status, p_status));
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text) IS
  'Internal: the one finish path. running -> running (progress) | completed | failed | cancelled, pending -> cancelled | failed; terminal states set ended_at; NULL counts keep the stored ones; with p_worker_id, another worker''s run is invalid_transition and the same report repeated returns the row; a failure with a transient code schedules the next attempt (p_retry_after: the answer''s Retry-After); raises run_not_found / invalid_transition.';

COMMIT;
