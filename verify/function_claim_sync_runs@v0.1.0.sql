-- Verify integration-sync:function_claim_sync_runs on pg
BEGIN;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.claim_sync_runs(text, integer)', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role', 'integration_ops.claim_sync_runs(text, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.claim_sync_runs(text, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon', 'integration_ops.claim_sync_runs(text, integer)', 'execute');
END
$$;
ROLLBACK;
