-- Verify integration-sync:function_get_org_health_status on pg
BEGIN;
SELECT pg_catalog.set_config('request.jwt.claims', '{"role":"service_role"}', true);
-- service_role is the database role in effect, not a claim (0.2, function_claim_helpers)
SET LOCAL ROLE service_role;
SELECT integration_type, display_name, status, latency_ms, checked_at, error_message
  FROM public.get_org_health_status(org_id => gen_random_uuid()) WHERE false;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('authenticated', 'public.get_org_health_status(uuid)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_org_health_status.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('service_role', 'public.get_org_health_status(uuid)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_org_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'public.get_org_health_status(uuid)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_org_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('integration_worker', 'public.get_org_health_status(uuid)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_get_org_health_status.sql';
  END IF;
END
$$;
ROLLBACK;
