-- Verify integration-sync:function_update_run_log_status on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('service_role', 'public.update_run_log_status(uuid, text, integer, integer, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'public.update_run_log_status(uuid, text, integer, integer, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'public.update_run_log_status(uuid, text, integer, integer, text)', 'execute');
END
$$;
ROLLBACK;
