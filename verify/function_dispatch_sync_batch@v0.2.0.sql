-- Verify integration-sync:function_dispatch_sync_batch on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.dispatch_sync_batch()'::regprocedure) LIKE '%LIMIT v_settings.dispatch_batch_size%')::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.dispatch_sync_batch()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.dispatch_sync_batch()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.dispatch_sync_batch()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.dispatch_sync_batch()', 'execute'))::int;
ROLLBACK;
