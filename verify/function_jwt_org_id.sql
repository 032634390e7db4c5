-- Verify integration-sync:function_jwt_org_id on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
-- search_path pinned, privileges as granted
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.jwt_org_id()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.jwt_org_id()', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'integration_ops.jwt_org_id()', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.jwt_org_id()', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.jwt_org_id()', 'execute')) IS TRUE)::int;
ROLLBACK;
