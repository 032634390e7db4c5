-- Verify integration-sync:function_insert_run_log on pg
BEGIN;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('service_role', 'public.insert_run_log(uuid, text, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_insert_run_log@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'public.insert_run_log(uuid, text, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_insert_run_log@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'public.insert_run_log(uuid, text, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_insert_run_log@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
