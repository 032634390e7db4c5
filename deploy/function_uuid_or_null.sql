-- Deploy integration-sync:function_uuid_or_null to pg
-- requires: function_claim_helpers
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_claim_helpers. Reverting restores that definition.
-- A uuid from text in its canonical form, NULL otherwise (no exception block). 0.3: PL/pgSQL
-- (a SQL function with a SET clause is never inlined and is planned on every call).
-- LIKE fixes the length and the four hyphens' places; the regex (no counted repetition:
-- PostgreSQL runs {8} and {12} ten times slower) admits only hex digits and four hyphens.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.uuid_or_null(value text)
RETURNS uuid
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF value OPERATOR(pg_catalog.~~) '________-____-____-____-____________'
     AND value OPERATOR(pg_catalog.~)
         '^[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*$' THEN
    RETURN value::pg_catalog.uuid;
  END IF;
  RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.uuid_or_null(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.uuid_or_null(text) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.uuid_or_null(text) IS 'The text as a uuid, or NULL when it is not one (never an error).';

COMMIT;
