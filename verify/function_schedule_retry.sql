-- Verify integration-sync:function_schedule_retry on pg
BEGIN;
SELECT 1/(integration_ops.schedule_retry(gen_random_uuid()) IS NULL)::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.schedule_retry(uuid, text)'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.schedule_retry(uuid, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.schedule_retry(uuid, text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.schedule_retry(uuid, text)', 'execute')) IS TRUE)::int;
ROLLBACK;
