-- Verify integration-sync:function_refresh_alerts on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.refresh_alerts()'::regprocedure) LIKE '%repeated_failures%')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.refresh_alerts()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.refresh_alerts()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.refresh_alerts()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.refresh_alerts()', 'execute'))::int;
ROLLBACK;
