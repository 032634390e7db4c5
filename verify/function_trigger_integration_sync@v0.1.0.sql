-- Verify integration-sync:function_trigger_integration_sync on pg
BEGIN;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('authenticated', 'public.trigger_integration_sync(uuid, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_trigger_integration_sync@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'public.trigger_integration_sync(uuid, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_trigger_integration_sync@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('service_role', 'public.trigger_integration_sync(uuid, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_trigger_integration_sync@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('integration_worker', 'public.trigger_integration_sync(uuid, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_trigger_integration_sync@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
