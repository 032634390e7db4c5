-- Verify integration-sync:function_clock on pg
BEGIN;
-- exists, and is plain now() (a test's time-travel override must never reach a real database)
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.clock()'::regprocedure)
          LIKE '%RETURN pg_catalog.now();%')::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.clock()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('anon', 'integration_ops.clock()', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.clock()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.clock()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.clock()', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.clock()', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.clock()', 'execute') IS TRUE)::int;
ROLLBACK;
