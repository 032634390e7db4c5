-- Deploy integration-sync:function_error_excerpt to pg
-- requires: function_raise_error@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_raise_error. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.error_excerpt(value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN pg_catalog.char_length(value) > 100
              THEN pg_catalog.left(value, 97) || '...'
              ELSE value END
$$;

REVOKE ALL ON FUNCTION integration_ops.error_excerpt(text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.error_excerpt(text) IS
  'What an error DETAIL may quote of caller input: the value itself, or its first 97 characters and "..." (at most 100 characters).';

COMMIT;
