-- Verify integration-sync:procedure_cleanup_health_history on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.cleanup_health_history'::regproc
   AND prokind = 'p' AND NOT prosecdef AND proconfig IS NULL;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.cleanup_health_history()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.cleanup_health_history()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.cleanup_health_history()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.cleanup_health_history()', 'execute'))::int;
ROLLBACK;
