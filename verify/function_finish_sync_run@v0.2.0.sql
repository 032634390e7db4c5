-- Verify integration-sync:function_finish_sync_run on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)'::regprocedure)
          LIKE '%The same report again%')::int;
SELECT 1/(to_regprocedure('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)') IS NULL)::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)', 'execute'))::int;
ROLLBACK;
