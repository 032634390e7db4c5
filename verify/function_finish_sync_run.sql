-- Verify integration-sync:function_finish_sync_run on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)'::regprocedure)
          LIKE '%The same report again%')::int;
SELECT 1/(to_regprocedure('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)') IS NULL)::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('integration_worker', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text, text)', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.finish_sync_run(uuid,text,integer,integer,text,text,text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.finish_sync_run(uuid,text,integer,integer,text,text,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.finish_sync_run(uuid,text,integer,integer,text,text,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.finish_sync_run(uuid,text,integer,integer,text,text,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.finish_sync_run(uuid,text,integer,integer,text,text,text)', 'execute')) IS TRUE)::int;
ROLLBACK;
