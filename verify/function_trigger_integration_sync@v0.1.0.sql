-- Verify integration-sync:function_trigger_integration_sync on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('authenticated', 'public.trigger_integration_sync(uuid, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'public.trigger_integration_sync(uuid, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('service_role', 'public.trigger_integration_sync(uuid, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('integration_worker', 'public.trigger_integration_sync(uuid, text)', 'execute');
END
$$;
ROLLBACK;
