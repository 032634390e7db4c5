-- Revert integration-sync:function_is_service_role from pg: restore the 0.2 definition
-- (created by function_claim_helpers), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.is_service_role()
RETURNS boolean
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
  SELECT pg_catalog.current_setting('role') OPERATOR(pg_catalog.=) 'service_role'
      OR CURRENT_USER OPERATOR(pg_catalog.=) 'service_role'
$$;

REVOKE ALL ON FUNCTION integration_ops.is_service_role() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.is_service_role() FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.is_service_role() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.is_service_role() IS
  'True when the database role service_role is in effect (the session''s SET ROLE, as PostgREST sets it from the verified JWT, or current_user). A role claim alone grants nothing.';

COMMIT;
