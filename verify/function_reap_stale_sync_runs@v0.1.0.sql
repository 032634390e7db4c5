-- Verify integration-sync:function_reap_stale_sync_runs on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.reap_stale_sync_runs()', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.reap_stale_sync_runs()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.reap_stale_sync_runs()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.reap_stale_sync_runs()', 'execute');
END
$$;
ROLLBACK;
