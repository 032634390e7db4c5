-- Deploy integration-sync:function_schedule_retry to pg
-- requires: table_sync_run_log_retries index_sync_run_log_idempotency_attempt function_lock_pair function_is_retryable_error function_retry_delay function_clock
-- 0.3 (issue 22, DESIGN §13 "Retries"): after an attempt failed with a transient code,
-- the period's next attempt: a new pending row with attempt + 1, retry_of = the failed row,
-- the same idempotency key (a manual run of 0.2 without one gets its run id, the
-- Idempotency-Key header it was sent with), scheduled_for, triggered_by and user, and
-- not_before = now + integration_ops.retry_delay(...). Nothing when the code is final,
-- the period has used settings.retry_max_attempts (the chain is exhausted: refresh_alerts
-- opens retries_exhausted), the pair is gone or not enabled, or another run of the pair is
-- active. Called by finish_sync_run (every failure path of the worker, finish_sync_runs,
-- the pg_net reconciler) and the reaper; takes the pair lock (callers take it before the
-- run's row lock). It wakes nobody: a due retry is claimed by a worker's poll, and the
-- pg_cron dispatch job sends due pg_net retries and notifies the workers.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.schedule_retry(failed_run_id uuid, retry_after text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_run public.sync_run_log;
  v_now timestamptz := integration_ops.clock();
  v_id uuid;
BEGIN
  SELECT r.* INTO v_run FROM public.sync_run_log AS r WHERE r.id = schedule_retry.failed_run_id;
  IF NOT FOUND OR v_run.status <> 'failed' OR NOT integration_ops.is_retryable_error(v_run.error_code)
     OR v_run.attempt >= (integration_ops.settings_row()).retry_max_attempts THEN
    RETURN NULL;
  END IF;
  PERFORM integration_ops.lock_pair(v_run.org_id, v_run.integration_type);
  IF NOT EXISTS (SELECT FROM public.organization_integrations AS oi
                  WHERE oi.org_id = v_run.org_id AND oi.integration_type = v_run.integration_type
                    AND oi.enabled) THEN
    RETURN NULL;
  END IF;
  INSERT INTO public.sync_run_log AS r
    (org_id, integration_type, status, triggered_by, triggered_by_user_id, scheduled_for,
     idempotency_key, attempt, retry_of, not_before, created_at, started_at)
  VALUES (v_run.org_id, v_run.integration_type, 'pending', v_run.triggered_by,
          v_run.triggered_by_user_id, v_run.scheduled_for,
          coalesce(v_run.idempotency_key, v_run.id::text), v_run.attempt + 1, v_run.id,
          v_now + integration_ops.retry_delay(v_run.attempt, schedule_retry.retry_after, v_now),
          v_now, v_now)
  ON CONFLICT DO NOTHING
  RETURNING r.id INTO v_id;
  RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.schedule_retry(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.schedule_retry(uuid, text) IS
  'Internal: the next attempt of a run that failed with a transient code (same idempotency key, attempt + 1, not_before after the backoff or Retry-After), or NULL (final code, attempts used, pair not enabled, another run active).';

COMMIT;
