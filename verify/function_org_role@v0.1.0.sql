-- Verify integration-sync:function_org_role on pg
BEGIN;
DO $$
BEGIN
  IF NOT coalesce((pg_catalog.has_function_privilege('authenticated', 'integration_ops.org_role(uuid)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: pg_catalog.has_function_privilege(''authenticated'', ''integration_ops.org_role(uuid)'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.org_role(uuid)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''anon'', ''integration_ops.org_role(uuid)'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.org_role(uuid)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''integration_worker'', ''integration_ops.org_role(uuid)'', ''execute'')';
  END IF;
  IF NOT coalesce(((SELECT prosecdef FROM pg_catalog.pg_proc WHERE oid = 'integration_ops.org_role(uuid)'::regprocedure)), false) THEN
    RAISE EXCEPTION 'verify failed: (SELECT prosecdef FROM pg_catalog.pg_proc WHERE oid = ''integration_ops.org_role(uuid)''::regprocedure)';
  END IF;
  PERFORM set_config('request.jwt.claims', '{}', true);
  IF NOT coalesce((integration_ops.org_role(gen_random_uuid()) IS NULL), false) THEN
    RAISE EXCEPTION 'verify failed: integration_ops.org_role(gen_random_uuid()) IS NULL';
  END IF;
END
$$;
ROLLBACK;
