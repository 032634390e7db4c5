-- Revert integration-sync:function_jwt_org_role from pg: restore the 0.2 definition
-- (created by function_org_role), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_org_role()
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = ''
AS $$
BEGIN
  RETURN integration_ops.org_role(integration_ops.jwt_org_id());
END
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_org_role() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_org_role() FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_org_role() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_org_role() IS
  'The calling user''s role in the org its JWT acts for (org_role(jwt org_id)).';

COMMIT;
