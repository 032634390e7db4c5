-- Deploy integration-sync:function_finish_sync_runs to pg
-- requires: function_finish_sync_runs@v0.2.0 function_fail_sync_run function_complete_sync_run function_is_worker_id
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2 (issue 16): a worker that claims several runs at once reports them in one round
-- trip. Each report goes through complete_sync_run / fail_sync_run (the one finish path,
-- its checks and its idempotent repeat) inside its own sub-transaction, so one refused
-- report is answered with its DESIGN §6 code and changes nothing while the others are
-- applied. At most 50 reports per call: each applied report holds a subtransaction id,
-- and 64 of them overflow the backend's cache (every snapshot then consults pg_subtrans).
-- 0.3 (issue 22): a failed report may carry retry_after (the answer's Retry-After header),
-- passed to fail_sync_run; a 0.2 worker's reports are read as before.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.finish_sync_runs(worker_id text, reports jsonb)
RETURNS TABLE (run_id uuid, status text, refused_with text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_report jsonb;
  v_row public.sync_run_log;
  v_state text;
  v_message text;
BEGIN
  IF NOT integration_ops.is_worker_id(finish_sync_runs.worker_id)
     OR finish_sync_runs.reports IS NULL
     OR pg_catalog.jsonb_typeof(finish_sync_runs.reports) <> 'array'
     OR pg_catalog.jsonb_array_length(finish_sync_runs.reports) NOT BETWEEN 1 AND 50 THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'worker_id must be 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces), and reports a JSON array of 1 to 50 report objects.');
  END IF;

  FOR v_report IN SELECT e.value FROM pg_catalog.jsonb_array_elements(finish_sync_runs.reports) AS e
  LOOP
    finish_sync_runs.run_id := NULL;
    finish_sync_runs.status := NULL;
    finish_sync_runs.refused_with := NULL;
    BEGIN
      IF pg_catalog.jsonb_typeof(v_report) IS DISTINCT FROM 'object' THEN
        PERFORM integration_ops.raise_error('invalid_argument', 'Each report is a JSON object.');
      END IF;
      finish_sync_runs.run_id := (v_report OPERATOR(pg_catalog.->>) 'run_id')::uuid;
      CASE v_report OPERATOR(pg_catalog.->>) 'status'
        WHEN 'completed' THEN
          v_row := integration_ops.complete_sync_run(
            run_id => finish_sync_runs.run_id,
            records_processed => (v_report OPERATOR(pg_catalog.->>) 'records_processed')::integer,
            records_failed => (v_report OPERATOR(pg_catalog.->>) 'records_failed')::integer,
            worker_id => finish_sync_runs.worker_id);
        WHEN 'failed' THEN
          v_row := integration_ops.fail_sync_run(
            run_id => finish_sync_runs.run_id,
            error_code => v_report OPERATOR(pg_catalog.->>) 'error_code',
            error_message => v_report OPERATOR(pg_catalog.->>) 'error_message',
            worker_id => finish_sync_runs.worker_id,
            retry_after => v_report OPERATOR(pg_catalog.->>) 'retry_after');
        ELSE
          PERFORM integration_ops.raise_error('invalid_argument',
            'A report''s status is completed or failed.');
      END CASE;
      finish_sync_runs.status := v_row.status;
    EXCEPTION
      WHEN SQLSTATE 'PT400' OR SQLSTATE 'PT404' OR SQLSTATE 'PT409'
           OR invalid_text_representation OR numeric_value_out_of_range THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
        finish_sync_runs.refused_with :=
          CASE WHEN v_state LIKE 'PT%' THEN v_message ELSE 'invalid_argument' END;
        SELECT r.status INTO finish_sync_runs.status
          FROM public.sync_run_log AS r WHERE r.id = finish_sync_runs.run_id;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.finish_sync_runs(text,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.finish_sync_runs(text,jsonb) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.finish_sync_runs(text, jsonb) IS
  'Worker RPC: report 1 to 50 finished runs of this worker in one call. reports is a JSON array of {run_id, status: completed, records_processed, records_failed} or {run_id, status: failed, error_code, error_message[, retry_after]} (retry_after: the answer''s Retry-After, 0.3); each goes through complete_sync_run / fail_sync_run with worker_id on its own: one row per report, in order, with the run''s status after the call and refused_with = the DESIGN §6 code (invalid_argument, run_not_found, invalid_transition) of a report that changed nothing. A repeated report is answered like the first. invalid_argument for a missing worker_id or a reports value that is not such an array.';

COMMIT;
