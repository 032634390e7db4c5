-- Revert integration-sync:function_raise_error from pg
-- Back to the 0.1 raise_error (deploy/function_raise_error@v0.1.0.sql); drop error_excerpt.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.raise_error(code text, detail text)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_state text := integration_ops.error_sqlstate(code);
BEGIN
  IF v_state IS NULL THEN
    RAISE EXCEPTION 'raise_error: unknown error code %', code USING ERRCODE = 'XX000';
  END IF;
  RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = code, DETAIL = coalesce(detail, code);
END
$$;
REVOKE ALL ON FUNCTION integration_ops.raise_error(text, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.raise_error(text, text) IS
  'Raise a contract error: SQLSTATE from error_sqlstate(code), MESSAGE = code, DETAIL = detail.';

DROP FUNCTION IF EXISTS integration_ops.error_excerpt(text);

COMMIT;
