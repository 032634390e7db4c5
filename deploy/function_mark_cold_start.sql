-- Deploy integration-sync:function_mark_cold_start to pg
-- requires: function_mark_cold_start@v0.2.0 table_sync_run_log_retries function_lock_pair table_settings_outcome_tunables function_is_worker_id function_is_error_code
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The cold-start rule (DESIGN §12), in SQL: the worker asks after a scheduled call failed
-- with timeout or connection_error; the run is a cold start when its pair had no completed
-- run and no answered warm-up within settings.cold_start_idle before the run started.
-- Then cold_start is set (the run stays running: the worker warms the endpoint, retries
-- once with the same Idempotency-Key and reports the retry's outcome as usual).
-- 0.3 (issue 22, DESIGN §13): the cold-start retry is one of the period's attempts. A 0.3
-- worker passes as_attempt => true: the failed call ends its run (failed) and the retry is
-- a new row (attempt + 1, same idempotency key, cold_start) already running on this worker,
-- returned as retry_run_id. A 0.2 worker (three arguments) keeps the 0.2 behaviour.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The return type and the parameter list grow: the 0.2 function goes (a 0.2 worker's call by
-- name, three arguments, and its SELECT of cold_start and warmup_url keep working).
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS integration_ops.mark_cold_start(uuid, text, text);

CREATE OR REPLACE FUNCTION integration_ops.mark_cold_start(
  run_id uuid,
  error_code text,
  worker_id text,
  as_attempt boolean DEFAULT false
)
RETURNS TABLE (cold_start boolean, warmup_url text, retry_run_id uuid)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_run public.sync_run_log;
  v_since timestamptz;
  v_warmup_url text;
  v_now timestamptz := integration_ops.clock();
  v_retry uuid;
BEGIN
  IF mark_cold_start.run_id IS NULL OR NOT integration_ops.is_worker_id(mark_cold_start.worker_id)
     OR NOT integration_ops.is_error_code(mark_cold_start.error_code) THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_id is required, worker_id must be 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces), and error_code a lower-case code of at most 64 characters.');
  END IF;
  -- the pair lock before the row lock (a cold start as an attempt creates a run)
  SELECT r.* INTO v_run FROM public.sync_run_log AS r WHERE r.id = mark_cold_start.run_id;
  IF FOUND AND mark_cold_start.as_attempt THEN
    PERFORM integration_ops.lock_pair(v_run.org_id, v_run.integration_type);
  END IF;
  SELECT r.* INTO v_run FROM public.sync_run_log AS r WHERE r.id = mark_cold_start.run_id FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM integration_ops.raise_error('run_not_found', format('No run with id %s.', mark_cold_start.run_id));
  END IF;
  SELECT oi.warmup_url INTO v_warmup_url
    FROM public.organization_integrations AS oi
   WHERE oi.org_id = v_run.org_id AND oi.integration_type = v_run.integration_type;

  -- asked again (the worker's call retried after a lost answer): the same answer
  IF mark_cold_start.as_attempt AND v_run.status = 'failed' THEN
    SELECT r.id INTO v_retry FROM public.sync_run_log AS r
     WHERE r.retry_of = v_run.id AND r.cold_start AND r.worker_id = mark_cold_start.worker_id;
    IF v_retry IS NOT NULL THEN
      RETURN QUERY SELECT true, v_warmup_url, v_retry;
      RETURN;
    END IF;
  END IF;
  IF v_run.status <> 'running' OR v_run.worker_id IS DISTINCT FROM mark_cold_start.worker_id THEN
    PERFORM integration_ops.raise_error('invalid_transition',
      format('Run %s is not running on worker %s.', v_run.id, left(mark_cold_start.worker_id, 100)));
  END IF;
  IF v_run.cold_start THEN
    RETURN QUERY SELECT true, v_warmup_url, NULL::uuid;
    RETURN;
  END IF;

  v_since := v_run.started_at - (integration_ops.settings_row()).cold_start_idle;
  IF v_run.triggered_by <> 'scheduler'
     OR coalesce(mark_cold_start.error_code, '') NOT IN ('timeout', 'connection_error')
     -- 0.3: the cold-start retry is one of the period's attempts: none left, no cold start
     OR (mark_cold_start.as_attempt AND v_run.attempt >= (integration_ops.settings_row()).retry_max_attempts)
     OR EXISTS (SELECT FROM public.sync_run_log AS r
                 WHERE r.org_id = v_run.org_id AND r.integration_type = v_run.integration_type
                   AND r.status = 'completed' AND r.ended_at >= v_since AND r.id <> v_run.id)
     OR EXISTS (SELECT FROM integration_ops.integration_warmups AS w
                 WHERE w.org_id = v_run.org_id AND w.integration_type = v_run.integration_type
                   AND w.answered_at >= v_since) THEN
    RETURN QUERY SELECT false, v_warmup_url, NULL::uuid;
    RETURN;
  END IF;

  IF NOT mark_cold_start.as_attempt THEN
    -- a 0.2 worker: the run stays running, the worker retries inside it
    UPDATE public.sync_run_log AS r SET cold_start = true WHERE r.id = v_run.id;
    RETURN QUERY SELECT true, v_warmup_url, NULL::uuid;
    RETURN;
  END IF;

  -- 0.3: this attempt ends failed and the next attempt, the cold-start retry, starts at
  -- once, running on this worker (it warms the endpoint first, then calls with the same
  -- key). The retry carries cold_start, as the retried run did in 0.2: the operations view
  -- counts cold starts and the ones whose retry failed too (cold_start_failed) by it.
  UPDATE public.sync_run_log AS r
     SET status = 'failed', ended_at = v_now,
         error_code = mark_cold_start.error_code,
         error_message = 'Cold start: the endpoint did not answer after an idle period; warmed and retried as the next attempt.'
   WHERE r.id = v_run.id;
  INSERT INTO public.sync_run_log AS r
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, scheduled_for,
     idempotency_key, attempt, retry_of, created_at, started_at, worker_id, heartbeat_at,
     cold_start)
  VALUES (v_run.org_id, v_run.integration_type, 'running', v_run.triggered_by,
          v_run.triggered_by_user_id, v_run.scheduled_for,
          coalesce(v_run.idempotency_key, v_run.id::text), v_run.attempt + 1, v_run.id,
          v_now, v_now, mark_cold_start.worker_id, v_now, true)
  RETURNING r.id INTO v_retry;
  RETURN QUERY SELECT true, v_warmup_url, v_retry;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.mark_cold_start(uuid, text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.mark_cold_start(uuid, text, text, boolean) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.mark_cold_start(uuid, text, text, boolean) IS
  'Worker RPC (DESIGN §12 cold starts): after the call of a running run held by worker_id failed with error_code. A scheduler run failing with timeout/connection_error whose pair had no completed run and no answered warm-up within settings.cold_start_idle before the run started is a cold start: sets sync_run_log.cold_start and returns (true, warmup_url); the worker warms, retries once with the same Idempotency-Key and reports the retry''s outcome. With as_attempt (0.3 workers) the retry is the period''s next attempt: this run ends failed, a new run (attempt + 1, same key, cold_start true) starts running on this worker and its id is returned as retry_run_id (asked again: the same id); no attempt left, no cold start. Otherwise (false, warmup_url, NULL) and nothing changes. run_not_found; invalid_transition when the run is not running on that worker.';

COMMIT;
