-- Verify integration-sync:function_insert_run_log on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('public.insert_run_log(uuid, text, text)'::regprocedure) LIKE '%pg_advisory_xact_lock(integration_ops.sync_pair_lock_key%')::int;
SELECT 1/has_function_privilege('service_role', 'public.insert_run_log(uuid, text, text)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'public.insert_run_log(uuid, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'public.insert_run_log(uuid, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'public.insert_run_log(uuid, text, text)', 'execute'))::int;
ROLLBACK;
