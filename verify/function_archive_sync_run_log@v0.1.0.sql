-- Verify integration-sync:function_archive_sync_run_log on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.archive_sync_run_log()', 'execute');
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.archive_sync_run_log()', 'execute');
END
$$;
ROLLBACK;
