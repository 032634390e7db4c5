-- Verify integration-sync:function_claim_helpers on pg
-- Raises whatever the settings (no ASSERT): each check is SELECT 1/(condition IS TRUE)::int.
BEGIN;
-- the 0.2 bodies
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.is_service_role()'::regprocedure)
          LIKE '%current_setting(''role'')%')::int;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.jwt_sub()'::regprocedure)
          LIKE '%integration_ops.jwt_claims()%')::int;
-- claims: a valid sub, a malformed org_id, global admin; a role claim grants nothing
SELECT pg_catalog.set_config('request.jwt.claims',
  '{"sub":"00000000-0000-0000-0000-000000000001","org_id":"not-a-uuid","user_role":"global_admin","role":"service_role"}', true);
SELECT 1/(integration_ops.jwt_sub() = '00000000-0000-0000-0000-000000000001'::uuid IS TRUE)::int;
SELECT 1/(integration_ops.jwt_org_id() IS NULL)::int;
SELECT 1/(integration_ops.is_global_admin() IS TRUE)::int;
SELECT 1/(integration_ops.is_service_role() IS FALSE)::int;
-- claims that are not JSON read as no claims (no error)
SELECT pg_catalog.set_config('request.jwt.claims', 'not json', true);
SELECT 1/(integration_ops.jwt_claims() IS NULL AND integration_ops.jwt_sub() IS NULL)::int;
-- privileges: authenticated and service_role (policies), never anon
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'integration_ops.jwt_org_id()', 'execute'))::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.jwt_claims()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.jwt_org_id()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.is_global_admin()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.jwt_claims()', 'execute'))::int;
ROLLBACK;
