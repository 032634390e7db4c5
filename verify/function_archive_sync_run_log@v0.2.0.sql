-- Verify integration-sync:function_archive_sync_run_log on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.archive_sync_run_log()'::regprocedure) LIKE '%ON CONFLICT (id) DO UPDATE%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log()', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.archive_sync_run_log()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.archive_sync_run_log()', 'execute'))::int;
ROLLBACK;
