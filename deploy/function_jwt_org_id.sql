-- Deploy integration-sync:function_jwt_org_id to pg
-- requires: function_claim_helpers
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_claim_helpers. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_org_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_value text := integration_ops.jwt_claims() OPERATOR(pg_catalog.->>) 'org_id';
BEGIN
  RETURN integration_ops.uuid_or_null(v_value);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_org_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_org_id() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_org_id() IS 'The org the session acts for (JWT org_id), NULL when absent or malformed.';

COMMIT;
