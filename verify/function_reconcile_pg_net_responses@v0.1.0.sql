-- Verify integration-sync:function_reconcile_pg_net_responses on pg
BEGIN;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('integration_worker', 'integration_ops.reconcile_pg_net_responses()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_reconcile_pg_net_responses@v0.1.0.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('service_role', 'integration_ops.reconcile_pg_net_responses()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_reconcile_pg_net_responses@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.reconcile_pg_net_responses()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_reconcile_pg_net_responses@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'integration_ops.reconcile_pg_net_responses()', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_reconcile_pg_net_responses@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
