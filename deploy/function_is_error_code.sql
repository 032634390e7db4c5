-- Deploy integration-sync:function_is_error_code to pg
-- requires: schema_integration_ops
-- 0.3 (issue 21, DESIGN §13): the one rule for a stored error code. Codes come from the
-- worker (fail_sync_run, finish_sync_runs, mark_cold_start) and are shown to coordinators,
-- so they are machine codes: a lower-case letter, then up to 63 lower-case letters, digits
-- and underscores (timeout, http_503, worker_lost). The CHECK constraints of the
-- identifier-check changes and the worker RPCs use it. PL/pgSQL and EXECUTE for
-- service_role for the reasons of function_is_worker_id.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_error_code(error_code text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN coalesce(is_error_code.error_code ~ '^[a-z][a-z0-9_]{0,63}$', false);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.is_error_code(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.is_error_code(text) TO service_role;
COMMENT ON FUNCTION integration_ops.is_error_code(text) IS
  'True when error_code may be stored as an error code: a lower-case letter, then up to 63 lower-case letters, digits and underscores (timeout, http_503); false for NULL. Checked on sync_run_log.error_code and the archive, and by the worker RPCs (DESIGN §13).';

COMMIT;
