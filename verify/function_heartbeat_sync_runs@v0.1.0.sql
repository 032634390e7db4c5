-- Verify integration-sync:function_heartbeat_sync_runs on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.heartbeat_sync_runs(text, uuid[])', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.heartbeat_sync_runs(text, uuid[])', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.heartbeat_sync_runs(text, uuid[])', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.heartbeat_sync_runs(text, uuid[])', 'execute');
END
$$;
ROLLBACK;
