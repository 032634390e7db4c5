-- Verify integration-sync:procedure_archive_sync_run_log_backlog on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_proc
 WHERE oid = to_regprocedure('integration_ops.archive_sync_run_log_backlog()') AND prokind = 'p';
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.archive_sync_run_log_backlog()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log_backlog()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log_backlog()', 'execute'))::int;
ROLLBACK;
