-- Deploy integration-sync:function_jwt_org_role to pg
-- requires: function_org_role@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_org_role. Reverting restores that definition.
-- The caller's role in the org its JWT acts for; policies call it as (select ...).
-- Runs with the caller's rights (org_role is the definer-rights lookup).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_org_role()
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.org_role(integration_ops.jwt_org_id());
END
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_org_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_org_role() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_org_role() IS
  'The calling user''s role in the org its JWT acts for (org_role(jwt org_id)).';

COMMIT;
