-- Verify integration-sync:function_reconcile_pg_net_responses on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.reconcile_pg_net_responses()', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.reconcile_pg_net_responses()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.reconcile_pg_net_responses()', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.reconcile_pg_net_responses()', 'execute');
END
$$;
ROLLBACK;
