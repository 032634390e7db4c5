-- Verify integration-sync:function_enqueue_sync_runs on pg
BEGIN;
DO $$
BEGIN
  IF (to_regprocedure('integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])') IS NOT NULL) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_enqueue_sync_runs@v0.1.0.sql';
  END IF;
  IF (integration_ops.sync_pair_lock_key('aaaaaaaa-0000-0000-0000-000000000001', 'xledger') IS NOT NULL) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_enqueue_sync_runs@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_enqueue_sync_runs@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_enqueue_sync_runs@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
