-- Verify integration-sync:function_get_run_history on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('authenticated', 'public.get_run_history(uuid, text, integer)', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'public.get_run_history(uuid, text, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'public.get_run_history(uuid, text, integer)', 'execute');
END
$$;
ROLLBACK;
