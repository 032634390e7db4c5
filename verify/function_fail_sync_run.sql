-- Verify integration-sync:function_fail_sync_run on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.fail_sync_run(uuid, text, text, text, text)'::regprocedure)
          LIKE '%fail_sync_run.retry_after%')::int;
SELECT 1/(to_regprocedure('integration_ops.fail_sync_run(uuid, text, text, text)') IS NULL)::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.fail_sync_run(uuid, text, text, text, text)'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.fail_sync_run(uuid, text, text, text, text)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.fail_sync_run(uuid, text, text, text, text)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.fail_sync_run(uuid, text, text, text, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.fail_sync_run(uuid, text, text, text, text)', 'execute')) IS TRUE)::int;
ROLLBACK;
