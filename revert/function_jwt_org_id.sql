-- Revert integration-sync:function_jwt_org_id from pg: restore the 0.2 definition
-- (created by function_claim_helpers), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_org_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_value text := integration_ops.jwt_claims() OPERATOR(pg_catalog.->>) 'org_id';
BEGIN
  RETURN integration_ops.uuid_or_null(v_value);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_org_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_org_id() FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_org_id() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_org_id() IS 'The org the session acts for (JWT org_id), NULL when absent or malformed.';

COMMIT;
