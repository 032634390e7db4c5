-- Verify integration-sync:function_touch_updated_at on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.touch_updated_at()'::regprocedure AND prorettype = 'trigger'::regtype;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.touch_updated_at()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.touch_updated_at()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.touch_updated_at()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.touch_updated_at()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.touch_updated_at()', 'execute')) IS TRUE)::int;
ROLLBACK;
