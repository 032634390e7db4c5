-- Verify integration-sync:function_get_global_health_summary on pg
BEGIN;
-- The 0.2 body reads the counters.
SELECT 1 / (pg_catalog.pg_get_functiondef('public.get_global_health_summary()'::regprocedure)
  LIKE '%integration_ops.health_status_counts%')::int;
-- A global admin gets one row per type.
SELECT pg_catalog.set_config('request.jwt.claims',
  '{"role":"authenticated","sub":"00000000-0000-0000-0000-000000000001","user_role":"global_admin"}', true);
SELECT 1 / (COUNT(*) = (SELECT COUNT(*) FROM public.integration_types))::int
  FROM public.get_global_health_summary();
-- Anyone else is refused.
DO $$
BEGIN
  PERFORM pg_catalog.set_config('request.jwt.claims',
    '{"role":"authenticated","sub":"00000000-0000-0000-0000-000000000001"}', true);
  BEGIN
    PERFORM public.get_global_health_summary();
    RAISE EXCEPTION 'get_global_health_summary accepted a non-global caller';
  EXCEPTION WHEN SQLSTATE 'PT403' THEN
    NULL;
  END;
END
$$;
SELECT 1 / pg_catalog.has_function_privilege('authenticated', 'public.get_global_health_summary()', 'execute')::int;
SELECT 1 / pg_catalog.has_function_privilege('service_role', 'public.get_global_health_summary()', 'execute')::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('anon', 'public.get_global_health_summary()', 'execute'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('integration_worker', 'public.get_global_health_summary()', 'execute'))::int;
ROLLBACK;
