-- Verify integration-sync:function_complete_sync_run on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.complete_sync_run(uuid, integer, integer, text)'::regprocedure)
          LIKE '%complete_sync_run.worker_id%')::int;
SELECT 1/(to_regprocedure('integration_ops.complete_sync_run(uuid, integer, integer)') IS NULL)::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.complete_sync_run(uuid, integer, integer, text)', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.complete_sync_run(uuid, integer, integer, text)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.complete_sync_run(uuid, integer, integer, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.complete_sync_run(uuid, integer, integer, text)', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.complete_sync_run(uuid,integer,integer,text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.complete_sync_run(uuid,integer,integer,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.complete_sync_run(uuid,integer,integer,text)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.complete_sync_run(uuid,integer,integer,text)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.complete_sync_run(uuid,integer,integer,text)', 'execute') IS TRUE)::int;
ROLLBACK;
