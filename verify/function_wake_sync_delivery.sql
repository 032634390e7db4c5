-- Verify integration-sync:function_wake_sync_delivery on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.wake_sync_delivery(uuid[])'::regprocedure)
          LIKE '%integration_ops.send_pg_net_runs(wake_sync_delivery.run_ids)%')::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.wake_sync_delivery(uuid[])', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.wake_sync_delivery(uuid[])', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.wake_sync_delivery(uuid[])'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.wake_sync_delivery(uuid[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.wake_sync_delivery(uuid[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.wake_sync_delivery(uuid[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.wake_sync_delivery(uuid[])', 'execute')) IS TRUE)::int;
ROLLBACK;
