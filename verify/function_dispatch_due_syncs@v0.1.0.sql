-- Verify integration-sync:function_dispatch_due_syncs on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.dispatch_due_syncs()', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.dispatch_due_syncs()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.dispatch_due_syncs()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.dispatch_due_syncs()', 'execute');
END
$$;
ROLLBACK;
