-- Deploy integration-sync:function_raise_error to pg
-- requires: schema_integration_ops privileges_revoke_function_execute
-- Every refusal: SQLSTATE PTxxx (PostgREST's HTTP status), MESSAGE = code, DETAIL = sentence.
BEGIN;

CREATE OR REPLACE FUNCTION integration_ops.error_sqlstate(code text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = ''
AS $$
  SELECT CASE code
    WHEN 'not_authenticated' THEN 'PT401'
    WHEN 'permission_denied' THEN 'PT403'
    WHEN 'org_scope_violation' THEN 'PT403'
    WHEN 'unknown_integration_type' THEN 'PT400'
    WHEN 'invalid_argument' THEN 'PT400'
    WHEN 'integration_not_configured' THEN 'PT404'
    WHEN 'run_not_found' THEN 'PT404'
    WHEN 'sync_already_in_progress' THEN 'PT409'
    WHEN 'invalid_transition' THEN 'PT409'
    WHEN 'rate_limited' THEN 'PT429'
  END
$$;

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

REVOKE ALL ON FUNCTION integration_ops.error_sqlstate(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.raise_error(text, text) FROM PUBLIC;

COMMENT ON FUNCTION integration_ops.error_sqlstate(text) IS
  'The PostgREST SQLSTATE (PTxxx) of a contract error code (DESIGN §6); NULL for an unknown code.';
COMMENT ON FUNCTION integration_ops.raise_error(text, text) IS
  'Raise a contract error: SQLSTATE from error_sqlstate(code), MESSAGE = code, DETAIL = detail.';

COMMIT;
