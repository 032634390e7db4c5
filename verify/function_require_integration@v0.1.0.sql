-- Verify integration-sync:function_require_integration on pg
BEGIN;
DO $$
BEGIN
  PERFORM integration_ops.require_known_type('xledger');
  BEGIN
    PERFORM integration_ops.require_known_type('no_such_type');
    RAISE EXCEPTION 'require_known_type accepted an unknown type';
  EXCEPTION WHEN SQLSTATE 'PT400' THEN
    NULL;
  END;
  BEGIN
    PERFORM integration_ops.require_configured_integration(gen_random_uuid(), 'xledger');
    RAISE EXCEPTION 'require_configured_integration accepted an unconfigured pair';
  EXCEPTION WHEN SQLSTATE 'PT404' THEN
    NULL;
  END;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.require_known_type(text)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''authenticated'', ''integration_ops.require_known_type(text)'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.require_configured_integration(uuid, text)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''anon'', ''integration_ops.require_configured_integration(uuid, text)'', ''execute'')';
  END IF;
END
$$;
ROLLBACK;
