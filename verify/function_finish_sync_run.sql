-- Verify integration-sync:function_finish_sync_run on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
-- 0.3: the retrying body, the 0.2 signature gone, search_path pinned
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)'::regprocedure)
          LIKE '%integration_ops.schedule_retry(p_run_id, p_retry_after)%')::int;
SELECT 1/(to_regprocedure('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)') IS NULL)::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text, text)', 'execute')) IS TRUE)::int;
ROLLBACK;
