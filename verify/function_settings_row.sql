-- Verify integration-sync:function_settings_row on pg
BEGIN;
SELECT 1/(integration_ops.settings_row()).id::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.settings_row()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.settings_row()', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.settings_row()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.settings_row()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.settings_row()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.settings_row()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.settings_row()', 'execute')) IS TRUE)::int;
ROLLBACK;
