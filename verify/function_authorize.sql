-- Verify integration-sync:function_authorize on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.require_caller()'::regprocedure)
          LIKE '%org_id claim is not a uuid%')::int;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.require_org_access(uuid, text[], boolean)'::regprocedure)
          LIKE '%integration_ops.jwt_claims()%')::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.require_caller()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.require_caller()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.require_org_access(uuid, text[], boolean)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.require_org_access(uuid, text[], boolean)', 'execute'))::int;
DO $$
BEGIN
  -- a role claim alone is no service role; claims that are not JSON give not_authenticated
  PERFORM pg_catalog.set_config('request.jwt.claims', '{"role":"service_role"}', true);
  BEGIN
    PERFORM integration_ops.require_caller();
    RAISE EXCEPTION 'require_caller accepted a role claim without sub';
  EXCEPTION WHEN SQLSTATE 'PT401' THEN
    NULL;
  END;
  PERFORM pg_catalog.set_config('request.jwt.claims', '{not json', true);
  BEGIN
    PERFORM integration_ops.require_caller();
    RAISE EXCEPTION 'require_caller accepted claims that are not JSON';
  EXCEPTION WHEN SQLSTATE 'PT401' THEN
    NULL;
  END;
END
$$;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.require_caller()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.require_org_access(uuid,text[],boolean)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
ROLLBACK;
