-- Revert integration-sync:function_jwt_sub from pg: restore the 0.2 definition
-- (created by function_claim_helpers), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_sub()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_value text := coalesce(integration_ops.jwt_claims() OPERATOR(pg_catalog.->>) 'sub',
                           nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''));
BEGIN
  RETURN integration_ops.uuid_or_null(v_value);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_sub() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_sub() FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_sub() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_sub() IS 'The caller''s user id (JWT sub), NULL when absent or malformed.';

COMMIT;
