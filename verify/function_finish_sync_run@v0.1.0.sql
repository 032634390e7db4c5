-- Verify integration-sync:function_finish_sync_run on pg
BEGIN;
DO $$
BEGIN
  ASSERT to_regprocedure('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)') IS NOT NULL;
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)', 'execute');
END
$$;
ROLLBACK;
