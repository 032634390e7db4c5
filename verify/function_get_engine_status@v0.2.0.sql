-- Verify integration-sync:function_get_engine_status on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('public.get_engine_status()'::regprocedure) LIKE '%permission_denied%')::int;
SELECT 1/(pg_catalog.pg_get_functiondef('public.get_engine_status()'::regprocedure) LIKE '%integration_ops.engine_stats%')::int;
SELECT 1/has_function_privilege('service_role', 'public.get_engine_status()', 'execute')::int;
SELECT 1/has_function_privilege('authenticated', 'public.get_engine_status()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('anon', 'public.get_engine_status()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'public.get_engine_status()', 'execute'))::int;
ROLLBACK;
