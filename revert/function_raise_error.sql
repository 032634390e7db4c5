-- Revert integration-sync:function_raise_error from pg: restore the 0.2 definition
-- (created by function_raise_error), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.raise_error(code text, detail text)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_state text := integration_ops.error_sqlstate(code);
  v_detail text := coalesce(detail, code);
BEGIN
  IF v_state IS NULL THEN
    RAISE EXCEPTION 'raise_error: unknown error code %', integration_ops.error_excerpt(code)
      USING ERRCODE = 'XX000';
  END IF;
  IF char_length(v_detail) > 300 THEN
    v_detail := left(v_detail, 297) || '...';
  END IF;
  RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = code, DETAIL = v_detail;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.raise_error(text,text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.raise_error(text,text) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.raise_error(text, text) IS
  'Raise a contract error: SQLSTATE from error_sqlstate(code), MESSAGE = code, DETAIL = detail (at most 300 characters; quote caller input through error_excerpt).';

COMMIT;
