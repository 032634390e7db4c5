-- Verify integration-sync:function_wake_sync_delivery on pg
BEGIN;
SELECT 1 / (integration_ops.wake_sync_delivery(ARRAY[]::uuid[]) = 0)::int;
DO $$
BEGIN
  IF (NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.wake_sync_delivery(uuid[])', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_wake_sync_delivery@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.wake_sync_delivery(uuid[])', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_wake_sync_delivery@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
