-- Verify integration-sync:function_require_integration on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.require_known_type(text)'::regprocedure)
          LIKE '%integration_ops.error_excerpt(%')::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.require_known_type(text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.require_configured_integration(uuid, text)', 'execute'))::int;
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
END
$$;
ROLLBACK;
