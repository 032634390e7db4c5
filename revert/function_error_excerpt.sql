-- Revert integration-sync:function_error_excerpt from pg: restore the 0.2 definition
-- (created by function_raise_error), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.error_excerpt(value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = ''
AS $$
  SELECT CASE WHEN pg_catalog.char_length(value) > 100
              THEN pg_catalog.left(value, 97) || '...'
              ELSE value END
$$;

REVOKE ALL ON FUNCTION integration_ops.error_excerpt(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.error_excerpt(text) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.error_excerpt(text) IS
  'What an error DETAIL may quote of caller input: the value itself, or its first 97 characters and "..." (at most 100 characters).';

COMMIT;
