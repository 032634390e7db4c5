-- Deploy integration-sync:function_get_worker_settings to pg
-- requires: function_get_worker_settings@v0.1.0 function_settings_row
-- 0.2: reads through integration_ops.settings_row(), so a missing settings row is an
-- error (P0002) instead of an empty answer the worker would have to guess around.
-- The tunables the Python worker needs, readable without access to the settings table.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.get_worker_settings()
RETURNS TABLE (health_check_timeout interval, stale_run_timeout interval)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT s.health_check_timeout, s.stale_run_timeout FROM integration_ops.settings_row() AS s
$$;

REVOKE ALL ON FUNCTION integration_ops.get_worker_settings() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.get_worker_settings() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.get_worker_settings() IS
  'Worker RPC: the settings the worker obeys (probe timeout, stale-run timeout for its heartbeat cadence); raises P0002 when the settings row is missing.';

COMMIT;
