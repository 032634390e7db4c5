-- Revert integration-sync:function_get_worker_settings from pg: restore the 0.2 definition
-- (created by function_get_worker_settings), its privileges and comment.
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
REVOKE ALL ON FUNCTION integration_ops.get_worker_settings() FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION integration_ops.get_worker_settings() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.get_worker_settings() IS
  'Worker RPC: the settings the worker obeys (probe timeout, stale-run timeout for its heartbeat cadence); raises P0002 when the settings row is missing.';

COMMIT;
