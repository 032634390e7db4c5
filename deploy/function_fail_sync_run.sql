-- Deploy integration-sync:function_fail_sync_run to pg
-- requires: function_fail_sync_run@v0.2.0 function_finish_sync_run function_is_worker_id function_is_error_code
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: running -> failed, with a trailing worker_id (default NULL, so a 0.1 worker's
-- three-argument call still resolves): when given, another worker's run is refused with
-- invalid_transition and a repeated identical report returns the row.
-- 0.3 (issue 22): retry_after (new trailing parameter, default NULL: a 0.2 worker's call is
-- unchanged), the answer's Retry-After header as sent; a transient failure's next attempt
-- waits for it (integration_ops.retry_delay), else for the backoff.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The parameter list grows: the 0.2 signature goes (calls by name keep working).
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS integration_ops.fail_sync_run(uuid, text, text, text);

CREATE OR REPLACE FUNCTION integration_ops.fail_sync_run(
  run_id uuid,
  error_code text,
  error_message text,
  worker_id text DEFAULT NULL,
  retry_after text DEFAULT NULL
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF fail_sync_run.run_id IS NULL OR NOT integration_ops.is_error_code(fail_sync_run.error_code)
     OR (fail_sync_run.worker_id IS NOT NULL AND NOT integration_ops.is_worker_id(fail_sync_run.worker_id)) THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_id is required, error_code must be a lower-case code of at most 64 characters such as http_503 or timeout, and a worker_id 1 to 100 characters, letters, digits and . _ : @ / + - (no spaces).');
  END IF;
  RETURN integration_ops.finish_sync_run(fail_sync_run.run_id, 'failed', NULL, NULL,
    fail_sync_run.error_code, fail_sync_run.error_message, fail_sync_run.worker_id,
    fail_sync_run.retry_after);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text, text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text, text) IS
  'Worker RPC: running -> failed with error_code and the sanitised error_message, ended_at set, counts kept (the one finish path). With worker_id: a run claimed by another worker is invalid_transition; the same report repeated returns the row. A transient code (timeout, connection_error, http_408/425/429/500/502/503/504) schedules the period''s next attempt, after retry_after (the answer''s Retry-After) or the backoff. Passive-health pairs report degraded.';

COMMIT;
