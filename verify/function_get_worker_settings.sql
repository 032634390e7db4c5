-- Verify integration-sync:function_get_worker_settings on pg
BEGIN;
SELECT health_check_timeout, stale_run_timeout FROM integration_ops.get_worker_settings();
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.get_worker_settings()'::regprocedure)
          LIKE '%integration_ops.settings_row()%')::int;
SELECT 1/((pg_catalog.has_function_privilege('integration_worker', 'integration_ops.get_worker_settings()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.get_worker_settings()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.get_worker_settings()', 'execute')) IS TRUE)::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.get_worker_settings()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.get_worker_settings()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.get_worker_settings()', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.get_worker_settings()', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.get_worker_settings()', 'execute') IS TRUE)::int;
ROLLBACK;
