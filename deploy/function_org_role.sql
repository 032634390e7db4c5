-- Deploy integration-sync:function_org_role to pg
-- requires: function_org_role@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The caller's role in an org. Adopters with their own membership table re-point this.
--
-- 0.2 (issue 14, issue 16): PL/pgSQL instead of SQL. A SQL function that is not inlined
-- (SECURITY DEFINER functions never are) is parsed and planned again on every call from
-- a new query; a PL/pgSQL function keeps its plan for the session. org_role is on the
-- path of every per-org RPC and every policy, so this is most of the 0.1 cost of the
-- authorization path. Same signatures, same results.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.org_role(org_id uuid)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_claims jsonb := integration_ops.jwt_claims();
  v_user uuid := integration_ops.uuid_or_null(
    coalesce(v_claims ->> 'sub', nullif(current_setting('request.jwt.claim.sub', true), '')));
BEGIN
  -- the caller's user id as integration_ops.jwt_sub() reads it, without a nested call
  IF v_user IS NULL OR org_role.org_id IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN (SELECT m.role
            FROM integration_ops.org_members AS m
           WHERE m.org_id = org_role.org_id
             AND m.user_id = v_user);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.org_role(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.org_role(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.org_role(uuid) IS
  'The calling user''s (JWT sub) role in org_id: admin, coordinator, viewer, or NULL. Re-point to your own membership table if you have one (keep it PL/pgSQL, SECURITY DEFINER, SET search_path = '''': it runs on every per-org call).';

COMMIT;
