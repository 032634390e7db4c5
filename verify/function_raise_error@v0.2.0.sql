-- Verify integration-sync:function_raise_error on pg
-- Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(integration_ops.error_sqlstate('rate_limited') = 'PT429' IS TRUE)::int;
SELECT 1/(char_length(integration_ops.error_excerpt(repeat('x', 5000))) = 100 IS TRUE)::int;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.raise_error(text, text)'::regprocedure)
          LIKE '%char_length(v_detail) > 300%')::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.raise_error(text, text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.raise_error(text, text)', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.error_excerpt(text)', 'execute'))::int;
DO $$
BEGIN
  BEGIN
    PERFORM integration_ops.raise_error('run_not_found', 'verify');
    RAISE EXCEPTION 'raise_error did not raise';
  EXCEPTION WHEN SQLSTATE 'PT404' THEN
    NULL;
  END;
END
$$;
ROLLBACK;
