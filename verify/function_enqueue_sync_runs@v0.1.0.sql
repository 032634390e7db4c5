-- Verify integration-sync:function_enqueue_sync_runs on pg
BEGIN;
DO $$
BEGIN
  ASSERT to_regprocedure('integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])') IS NOT NULL;
  ASSERT integration_ops.sync_pair_lock_key('aaaaaaaa-0000-0000-0000-000000000001', 'xledger') IS NOT NULL;
  ASSERT NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute');
END
$$;
ROLLBACK;
