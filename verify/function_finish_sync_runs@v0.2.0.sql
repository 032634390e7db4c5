-- Verify integration-sync:function_finish_sync_runs on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.finish_sync_runs(text, jsonb)'::regprocedure)
          LIKE '%integration_ops.complete_sync_run(%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.finish_sync_runs(text, jsonb)', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.finish_sync_runs(text, jsonb)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.finish_sync_runs(text, jsonb)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.finish_sync_runs(text, jsonb)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('public', 'integration_ops.finish_sync_runs(text, jsonb)', 'execute'))::int;
ROLLBACK;
