-- Verify integration-sync:function_complete_sync_run on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute');
END
$$;
ROLLBACK;
