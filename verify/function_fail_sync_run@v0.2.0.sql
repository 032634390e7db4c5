-- Verify integration-sync:function_fail_sync_run on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.fail_sync_run(uuid, text, text, text)'::regprocedure)
          LIKE '%fail_sync_run.worker_id%')::int;
SELECT 1/(to_regprocedure('integration_ops.fail_sync_run(uuid, text, text)') IS NULL)::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.fail_sync_run(uuid, text, text, text)', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.fail_sync_run(uuid, text, text, text)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.fail_sync_run(uuid, text, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.fail_sync_run(uuid, text, text, text)', 'execute'))::int;
ROLLBACK;
