-- Revert integration-sync:function_uuid_or_null from pg: restore the 0.2 definition
-- (created by function_claim_helpers), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.uuid_or_null(value text)
RETURNS uuid
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
  SELECT CASE WHEN value OPERATOR(pg_catalog.~~) '________-____-____-____-____________'
               AND value OPERATOR(pg_catalog.~)
                   '^[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*$'
              THEN value::pg_catalog.uuid END
$$;

REVOKE ALL ON FUNCTION integration_ops.uuid_or_null(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.uuid_or_null(text) FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.uuid_or_null(text) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.uuid_or_null(text) IS 'The text as a uuid, or NULL when it is not one (never an error).';

COMMIT;
