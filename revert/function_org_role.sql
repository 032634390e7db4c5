-- Revert integration-sync:function_org_role from pg: restore the 0.2 definition
-- (created by function_org_role), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.org_role(org_id uuid)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
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
REVOKE ALL ON FUNCTION integration_ops.org_role(uuid) FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.org_role(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.org_role(uuid) IS
  'The calling user''s (JWT sub) role in org_id: admin, coordinator, viewer, or NULL. Re-point to your own membership table if you have one (keep it PL/pgSQL, SECURITY DEFINER, SET search_path = '''': it runs on every per-org call).';

COMMIT;
