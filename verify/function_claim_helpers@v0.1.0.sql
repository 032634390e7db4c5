-- Verify integration-sync:function_claim_helpers on pg
BEGIN;
DO $$
BEGIN
  PERFORM set_config('request.jwt.claims',
    '{"sub":"00000000-0000-0000-0000-000000000001","org_id":"not-a-uuid","user_role":"global_admin"}', true);
  ASSERT integration_ops.jwt_sub() = '00000000-0000-0000-0000-000000000001'::uuid;
  ASSERT integration_ops.jwt_org_id() IS NULL;
  ASSERT integration_ops.is_global_admin();
  ASSERT pg_catalog.has_function_privilege('authenticated', 'integration_ops.jwt_org_id()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.jwt_org_id()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.is_global_admin()', 'execute');
END
$$;
ROLLBACK;
