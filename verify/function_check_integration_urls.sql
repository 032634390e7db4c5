-- Verify integration-sync:function_check_integration_urls on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.check_integration_urls()'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.check_integration_urls()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.check_integration_urls()', 'execute')) IS TRUE)::int;
ROLLBACK;
