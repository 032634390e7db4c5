-- Deploy integration-sync:function_is_global_admin to pg
-- requires: function_claim_helpers
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_claim_helpers. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_global_admin()
RETURNS boolean
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_claims jsonb := integration_ops.jwt_claims();
  v_sub text;
BEGIN
  IF (v_claims OPERATOR(pg_catalog.->>) 'user_role') IS DISTINCT FROM 'global_admin' THEN
    RETURN false;
  END IF;
  v_sub := coalesce(v_claims OPERATOR(pg_catalog.->>) 'sub',
                    nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''));
  RETURN integration_ops.uuid_or_null(v_sub) IS NOT NULL;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.is_global_admin() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.is_global_admin() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.is_global_admin() IS 'True when the JWT carries user_role = global_admin and a valid sub.';

COMMIT;
