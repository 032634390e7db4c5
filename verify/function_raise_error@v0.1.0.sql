-- Verify integration-sync:function_raise_error on pg
BEGIN;
DO $$
BEGIN
  IF NOT coalesce((integration_ops.error_sqlstate('rate_limited') = 'PT429'), false) THEN
    RAISE EXCEPTION 'verify failed: integration_ops.error_sqlstate(''rate_limited'') = ''PT429''';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.raise_error(text, text)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''authenticated'', ''integration_ops.raise_error(text, text)'', ''execute'')';
  END IF;
  IF NOT coalesce((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.raise_error(text, text)', 'execute')), false) THEN
    RAISE EXCEPTION 'verify failed: NOT pg_catalog.has_function_privilege(''anon'', ''integration_ops.raise_error(text, text)'', ''execute'')';
  END IF;
  BEGIN
    PERFORM integration_ops.raise_error('run_not_found', 'verify');
    RAISE EXCEPTION 'raise_error did not raise';
  EXCEPTION WHEN SQLSTATE 'PT404' THEN
    NULL;
  END;
END
$$;
ROLLBACK;
