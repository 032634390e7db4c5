-- Verify integration-sync:function_get_health_trend on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
-- the exposed RPC is an invoker; its body a pinned definer outside the API schema
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'public.get_health_trend(uuid,text,integer)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']
   AND NOT prosecdef;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'public.get_health_trend(uuid,text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'public.get_health_trend(uuid,text,integer)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'public.get_health_trend(uuid,text,integer)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'public.get_health_trend(uuid,text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.get_health_trend(uuid,text,integer)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']
   AND prosecdef;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.get_health_trend(uuid,text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('authenticated', 'integration_ops.get_health_trend(uuid,text,integer)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.get_health_trend(uuid,text,integer)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.get_health_trend(uuid,text,integer)', 'execute')) IS TRUE)::int;
ROLLBACK;
