-- Verify integration-sync:function_update_run_log_status on pg
BEGIN;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('service_role', 'public.update_run_log_status(uuid, text, integer, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_update_run_log_status.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'public.update_run_log_status(uuid, text, integer, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_update_run_log_status.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'public.update_run_log_status(uuid, text, integer, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_update_run_log_status.sql';
  END IF;
END
$$;
ROLLBACK;
