-- Verify integration-sync:function_fail_sync_run on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.fail_sync_run(uuid, text, text)', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.fail_sync_run(uuid, text, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.fail_sync_run(uuid, text, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.fail_sync_run(uuid, text, text)', 'execute');
END
$$;
ROLLBACK;
