-- Verify integration-sync:function_mark_cold_start on pg
BEGIN;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'EXECUTE')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'EXECUTE')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'EXECUTE'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'EXECUTE'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.mark_cold_start(uuid, text, text, boolean)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.mark_cold_start(uuid, text, text, boolean)', 'execute') IS TRUE)::int;
ROLLBACK;
