-- Deploy integration-sync:function_is_service_role to pg
-- requires: function_claim_helpers
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: PL/pgSQL (a SQL function with a SET clause is never inlined and is planned on
-- every call).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_claim_helpers. Reverting restores that definition.
-- The database role service_role is in effect: the session's SET ROLE (what PostgREST
-- sets; unchanged inside SECURITY DEFINER functions) or, in invoker context, current_user.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_service_role()
RETURNS boolean
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN pg_catalog.current_setting('role') OPERATOR(pg_catalog.=) 'service_role'
      OR CURRENT_USER OPERATOR(pg_catalog.=) 'service_role';
END
$$;

REVOKE ALL ON FUNCTION integration_ops.is_service_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.is_service_role() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.is_service_role() IS
  'True when the database role service_role is in effect (the session''s SET ROLE, as PostgREST sets it from the verified JWT, or current_user). A role claim alone grants nothing.';

COMMIT;
