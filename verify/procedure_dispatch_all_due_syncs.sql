-- Verify integration-sync:procedure_dispatch_all_due_syncs on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_proc
 WHERE oid = to_regprocedure('integration_ops.dispatch_all_due_syncs()') AND prokind = 'p';
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.dispatch_all_due_syncs()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.dispatch_all_due_syncs()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.dispatch_all_due_syncs()', 'execute'))::int;
ROLLBACK;
