-- Verify integration-sync:function_dispatch_due_syncs on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.dispatch_due_syncs()'::regprocedure) LIKE '%integration_ops.dispatch_sync_batch() - ''more''%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.dispatch_due_syncs()', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.dispatch_due_syncs()', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.dispatch_due_syncs()', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.dispatch_due_syncs()', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.dispatch_due_syncs()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.dispatch_due_syncs()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.dispatch_due_syncs()', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.dispatch_due_syncs()', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.dispatch_due_syncs()', 'execute') IS TRUE)::int;
ROLLBACK;
