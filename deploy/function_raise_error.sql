-- Deploy integration-sync:function_raise_error to pg
-- requires: function_raise_error@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- Every refusal: SQLSTATE PTxxx (PostgREST's HTTP status), MESSAGE = code, DETAIL = sentence.
--
-- 0.2 (issue 14): no error echoes a large input back. integration_ops.error_excerpt(value)
-- is what a DETAIL quotes of caller input (at most 100 characters), and raise_error caps
-- the whole DETAIL at 300 characters as a backstop.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.raise_error(code text, detail text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION integration_ops.raise_error(text, text) IS
  'Raise a contract error: SQLSTATE from error_sqlstate(code), MESSAGE = code, DETAIL = detail (at most 300 characters; quote caller input through error_excerpt).';

COMMIT;
