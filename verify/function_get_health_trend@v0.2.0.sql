-- Verify integration-sync:function_get_health_trend on pg
BEGIN;
SELECT pg_catalog.set_config('request.jwt.claims', '{"role":"service_role"}', true);
-- service_role is the database role in effect, not a claim (0.2, function_claim_helpers)
SET LOCAL ROLE service_role;
SELECT status, latency_ms, checked_at
  FROM public.get_health_trend(org_id => gen_random_uuid(), integration_type => 'xledger', hours => 24)
 WHERE false;
DO $$
BEGIN
  BEGIN
    PERFORM public.get_health_trend(gen_random_uuid(), 'xledger', 721);
    RAISE EXCEPTION 'get_health_trend accepted hours = 721';
  EXCEPTION WHEN SQLSTATE 'PT400' THEN
    NULL;
  END;
  IF (pg_catalog.has_function_privilege('authenticated', 'public.get_health_trend(uuid, text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_health_trend.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'public.get_health_trend(uuid, text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_health_trend.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('integration_worker', 'public.get_health_trend(uuid, text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_health_trend.sql';
  END IF;
END
$$;
ROLLBACK;
