-- Verify integration-sync:function_authorize on pg
BEGIN;
DO $$
BEGIN
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.require_caller()', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''authenticated'', ''integration_ops.require_caller()'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.require_org_access(uuid, text[], boolean)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''anon'', ''integration_ops.require_org_access(uuid, text[], boolean)'', ''execute'')';
  END IF;
  PERFORM set_config('request.jwt.claims', '{"role":"anon"}', true);
  BEGIN
    PERFORM integration_ops.require_caller();
    RAISE EXCEPTION 'require_caller accepted a caller without sub';
  EXCEPTION WHEN SQLSTATE 'PT401' THEN
    NULL;
  END;
END
$$;
ROLLBACK;
