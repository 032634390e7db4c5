-- Verify integration-sync:function_archive_sync_run_log on pg
BEGIN;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('service_role', 'integration_ops.archive_sync_run_log()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_archive_sync_run_log@v0.1.0.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_archive_sync_run_log@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_archive_sync_run_log@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'integration_ops.archive_sync_run_log()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_archive_sync_run_log@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
