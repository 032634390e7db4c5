-- Verify integration-sync:function_trigger_integration_sync on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('public.trigger_integration_sync(uuid, text)'::regprocedure) LIKE '%integration_ops.settings_row()%')::int;
SELECT 1/has_function_privilege('authenticated', 'public.trigger_integration_sync(uuid, text)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('anon', 'public.trigger_integration_sync(uuid, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'public.trigger_integration_sync(uuid, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'public.trigger_integration_sync(uuid, text)', 'execute'))::int;
ROLLBACK;
