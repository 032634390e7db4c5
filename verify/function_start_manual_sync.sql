-- Verify integration-sync:function_start_manual_sync on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.start_manual_sync(uuid,text,boolean)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.start_manual_sync(uuid,text,boolean)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.start_manual_sync(uuid,text,boolean)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.start_manual_sync(uuid,text,boolean)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.start_manual_sync(uuid,text,boolean)', 'execute')) IS TRUE)::int;
ROLLBACK;
