-- Verify integration-sync:function_archive_sync_run_log on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.archive_sync_run_log()'::regprocedure) LIKE '%ON CONFLICT (id) DO UPDATE%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log()', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.archive_sync_run_log()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.archive_sync_run_log()', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.archive_sync_run_log()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.archive_sync_run_log()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log()', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.archive_sync_run_log()', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log()', 'execute') IS TRUE)::int;
ROLLBACK;
