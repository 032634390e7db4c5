-- Deploy integration-sync:function_org_role to pg
-- requires: table_org_members function_claim_helpers
-- The caller's role in an org. Adopters with their own membership table re-point this.
BEGIN;

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
