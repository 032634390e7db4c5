-- Verify integration-sync:function_insert_run_log on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('service_role', 'public.insert_run_log(uuid, text, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'public.insert_run_log(uuid, text, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'public.insert_run_log(uuid, text, text)', 'execute');
END
$$;
ROLLBACK;
