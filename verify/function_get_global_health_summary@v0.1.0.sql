-- Verify integration-sync:function_get_global_health_summary on pg
BEGIN;
SELECT pg_catalog.set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT 1 / COUNT(*) FROM public.get_global_health_summary();
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
  IF (pg_catalog.has_function_privilege('authenticated', 'public.get_global_health_summary()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_global_health_summary@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'public.get_global_health_summary()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_global_health_summary@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('integration_worker', 'public.get_global_health_summary()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_global_health_summary@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
