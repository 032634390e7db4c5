-- Verify integration-sync:function_reconcile_pg_net_responses on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.reconcile_pg_net_responses()'::regprocedure) LIKE '%integration_ops.classify_sync_response%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.reconcile_pg_net_responses()', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.reconcile_pg_net_responses()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.reconcile_pg_net_responses()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.reconcile_pg_net_responses()', 'execute'))::int;
ROLLBACK;
