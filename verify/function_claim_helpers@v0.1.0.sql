-- Verify integration-sync:function_claim_helpers on pg
BEGIN;
DO $$
BEGIN
  PERFORM set_config('request.jwt.claims',
    '{"sub":"00000000-0000-0000-0000-000000000001","org_id":"not-a-uuid","user_role":"global_admin"}', true);
  IF NOT coalesce((integration_ops.jwt_sub() = '00000000-0000-0000-0000-000000000001'::uuid), false) THEN
    RAISE EXCEPTION 'verify failed: integration_ops.jwt_sub() = ''00000000-0000-0000-0000-000000000001''::uuid';
  END IF;
  IF NOT coalesce((integration_ops.jwt_org_id() IS NULL), false) THEN
    RAISE EXCEPTION 'verify failed: integration_ops.jwt_org_id() IS NULL';
  END IF;
  IF NOT coalesce((integration_ops.is_global_admin()), false) THEN
    RAISE EXCEPTION 'verify failed: integration_ops.is_global_admin()';
  END IF;
  IF NOT coalesce((pg_catalog.has_function_privilege('authenticated', 'integration_ops.jwt_org_id()', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: pg_catalog.has_function_privilege(''authenticated'', ''integration_ops.jwt_org_id()'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.jwt_org_id()', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''anon'', ''integration_ops.jwt_org_id()'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.is_global_admin()', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''anon'', ''integration_ops.is_global_admin()'', ''execute'')';
  END IF;
END
$$;
ROLLBACK;
