-- Revert integration-sync:function_fail_sync_run from pg: restore the 0.2 definition
-- (created by function_fail_sync_run), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP FUNCTION IF EXISTS integration_ops.fail_sync_run(uuid, text, text, text, text);

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

REVOKE ALL ON FUNCTION integration_ops.fail_sync_run(uuid,text,text,text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.fail_sync_run(uuid,text,text,text) FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION integration_ops.fail_sync_run(uuid,text,text,text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.fail_sync_run(uuid, text, text, text) IS
  'Worker RPC: running -> failed with error_code and the sanitised error_message, ended_at set, counts kept (the one finish path). With worker_id: a run claimed by another worker is invalid_transition; the same report repeated returns the row. Passive-health pairs report degraded.';

COMMIT;
