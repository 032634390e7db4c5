-- Revert integration-sync:function_is_global_admin from pg: restore the 0.2 definition
-- (created by function_claim_helpers), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_global_admin()
RETURNS boolean
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
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
REVOKE ALL ON FUNCTION integration_ops.is_global_admin() FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.is_global_admin() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.is_global_admin() IS 'True when the JWT carries user_role = global_admin and a valid sub.';

COMMIT;
