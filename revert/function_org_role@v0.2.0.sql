-- Revert integration-sync:function_org_role from pg
-- Back to the 0.1 definitions (deploy/function_org_role@v0.1.0.sql).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.org_role(org_id uuid)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT m.role
    FROM integration_ops.org_members AS m
   WHERE m.org_id = org_role.org_id
     AND m.user_id = integration_ops.jwt_sub()
$$;

-- The caller's role in the org its JWT acts for; policies call it as (select ...).
CREATE OR REPLACE FUNCTION integration_ops.jwt_org_role()
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT integration_ops.org_role(integration_ops.jwt_org_id())
$$;

REVOKE ALL ON FUNCTION integration_ops.org_role(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_org_role() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.org_role(uuid), integration_ops.jwt_org_role()
  TO authenticated, service_role;

COMMENT ON FUNCTION integration_ops.org_role(uuid) IS
  'The calling user''s (JWT sub) role in org_id: admin, coordinator, viewer, or NULL. Re-point to your own membership table if you have one.';
COMMENT ON FUNCTION integration_ops.jwt_org_role() IS
  'The calling user''s role in the org its JWT acts for (org_role(jwt org_id)).';

COMMIT;
