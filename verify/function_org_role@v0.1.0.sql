-- Verify integration-sync:function_org_role on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('authenticated', 'integration_ops.org_role(uuid)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.org_role(uuid)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.org_role(uuid)', 'execute');
  ASSERT (SELECT prosecdef FROM pg_catalog.pg_proc WHERE oid = 'integration_ops.org_role(uuid)'::regprocedure);
  PERFORM set_config('request.jwt.claims', '{}', true);
  ASSERT integration_ops.org_role(gen_random_uuid()) IS NULL;
END
$$;
ROLLBACK;
