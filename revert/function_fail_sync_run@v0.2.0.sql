-- Revert integration-sync:function_fail_sync_run from pg (back to the 0.1 definition)
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.fail_sync_run(uuid, text, text, text);
-- DESIGN §8: running -> failed with a code and a sanitised message.

CREATE OR REPLACE FUNCTION integration_ops.fail_sync_run(run_id uuid, error_code text, error_message text)
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
    fail_sync_run.error_code, fail_sync_run.error_message);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.fail_sync_run(uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.fail_sync_run(uuid, text, text) TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.fail_sync_run(uuid, text, text) IS
  'Worker RPC: running -> failed with error_code and the sanitised error_message, ended_at = now() (one guarded UPDATE; counts kept). Passive-health pairs report degraded.';

COMMIT;
