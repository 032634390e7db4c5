-- Deploy integration-sync:function_fail_sync_run to pg
-- requires: function_fail_sync_run@v0.1.0 function_finish_sync_run
-- 0.2: running -> failed, with a trailing worker_id (default NULL, so a 0.1 worker's
-- three-argument call still resolves): when given, another worker's run is refused with
-- invalid_transition and a repeated identical report returns the row.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The signature gains a trailing parameter with a default: the old one must go (two
-- candidates would make a 0.1 call ambiguous); calls of the old shape still resolve.
-- squawk-ignore ban-drop-function
DROP FUNCTION IF EXISTS integration_ops.fail_sync_run(uuid, text, text);

CREATE OR REPLACE FUNCTION integration_ops.fail_sync_run(
  run_id uuid,
  error_code text,
  error_message text,
  worker_id text DEFAULT NULL
)
RETURNS public.sync_run_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF fail_sync_run.run_id IS NULL OR fail_sync_run.error_code IS NULL
     OR fail_sync_run.error_code !~ '^[a-z][a-z0-9_]{0,99}$' THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'run_id is required and error_code must be a lower-case code such as http_503 or timeout.');
  END IF;
  RETURN integration_ops.finish_sync_run(fail_sync_run.run_id, 'failed', NULL, NULL,
    fail_sync_run.error_code, fail_sync_run.error_message, fail_sync_run.worker_id);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text) TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text) IS
  'Worker RPC: running -> failed with error_code and the sanitised error_message, ended_at set, counts kept (the one finish path). With worker_id: a run claimed by another worker is invalid_transition; the same report repeated returns the row. Passive-health pairs report degraded.';

COMMIT;
