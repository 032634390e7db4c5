-- Verify integration-sync:function_wake_sync_delivery on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.wake_sync_delivery(uuid[])'::regprocedure)
          LIKE '%integration_ops.finish_sync_run(v_run.id, ''failed''%')::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.wake_sync_delivery(uuid[])', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.wake_sync_delivery(uuid[])', 'execute'))::int;
ROLLBACK;
