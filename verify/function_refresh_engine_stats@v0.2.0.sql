-- Verify integration-sync:function_refresh_engine_stats on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.compute_engine_stats(timestamptz)'::regprocedure) LIKE '%workers_1h%')::int;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.refresh_engine_stats()'::regprocedure) LIKE '%integration_ops.engine_stats%')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.refresh_engine_stats()', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.compute_engine_stats(timestamptz)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.refresh_engine_stats()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.refresh_engine_stats()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.compute_engine_stats(timestamptz)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.compute_engine_stats(timestamptz)', 'execute'))::int;
ROLLBACK;
