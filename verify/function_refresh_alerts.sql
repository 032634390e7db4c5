-- Verify integration-sync:function_refresh_alerts on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.refresh_alerts()'::regprocedure) LIKE '%repeated_failures%')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.refresh_alerts()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.refresh_alerts()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.refresh_alerts()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.refresh_alerts()', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.refresh_alerts()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.refresh_alerts()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.refresh_alerts()', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.refresh_alerts()', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.refresh_alerts()', 'execute')) IS TRUE)::int;
ROLLBACK;
