-- Verify integration-sync:function_reap_stale_sync_runs on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.reap_stale_sync_runs()'::regprocedure) LIKE '%get_stale_pending_sync_runs%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.reap_stale_sync_runs()', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.reap_stale_sync_runs()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.reap_stale_sync_runs()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.reap_stale_sync_runs()', 'execute'))::int;
ROLLBACK;
