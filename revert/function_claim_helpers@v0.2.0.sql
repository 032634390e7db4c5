-- Revert integration-sync:function_claim_helpers from pg
-- Back to the 0.1 definitions (deploy/function_claim_helpers@v0.1.0.sql); drop what 0.2 added.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_uuid_claim(claim text)
RETURNS uuid
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
  SELECT CASE
    WHEN (auth.jwt() ->> claim) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    THEN (auth.jwt() ->> claim)::uuid
  END
$$;

CREATE OR REPLACE FUNCTION integration_ops.jwt_sub()
RETURNS uuid
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
  SELECT coalesce(
    integration_ops.jwt_uuid_claim('sub'),
    CASE WHEN current_setting('request.jwt.claim.sub', true)
              ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
         THEN current_setting('request.jwt.claim.sub', true)::uuid END)
$$;

CREATE OR REPLACE FUNCTION integration_ops.jwt_org_id()
RETURNS uuid
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
  SELECT integration_ops.jwt_uuid_claim('org_id')
$$;

CREATE OR REPLACE FUNCTION integration_ops.is_global_admin()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
  SELECT coalesce(auth.jwt() ->> 'user_role' = 'global_admin', false)
     AND integration_ops.jwt_sub() IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION integration_ops.is_service_role()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $$
  SELECT coalesce(auth.role() = 'service_role', false)
      OR coalesce(current_setting('role', true) = 'service_role', false)
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_uuid_claim(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_sub() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_org_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.is_global_admin() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.is_service_role() FROM PUBLIC;
-- Policies run as the querying role, so the claim readers are executable by authenticated
-- (they reveal nothing but the caller's own claims). anon gets nothing.
GRANT EXECUTE ON FUNCTION integration_ops.jwt_uuid_claim(text), integration_ops.jwt_sub(),
  integration_ops.jwt_org_id(), integration_ops.is_global_admin(), integration_ops.is_service_role()
  TO authenticated, service_role;

COMMENT ON FUNCTION integration_ops.jwt_uuid_claim(text) IS 'A uuid claim of the request JWT, NULL when absent or malformed.';
COMMENT ON FUNCTION integration_ops.jwt_sub() IS 'The caller''s user id (JWT sub), NULL when absent or malformed.';
COMMENT ON FUNCTION integration_ops.jwt_org_id() IS 'The org the session acts for (JWT org_id), NULL when absent or malformed.';
COMMENT ON FUNCTION integration_ops.is_global_admin() IS 'True when the JWT carries user_role = global_admin (and a sub).';
COMMENT ON FUNCTION integration_ops.is_service_role() IS 'True for the service_role (JWT role claim or the current SET ROLE).';

DROP FUNCTION IF EXISTS integration_ops.jwt_claims();
DROP FUNCTION IF EXISTS integration_ops.uuid_or_null(text);

COMMIT;
