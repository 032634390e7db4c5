-- Verify integration-sync:function_complete_sync_run on pg
BEGIN;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('integration_worker', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_complete_sync_run@v0.1.0.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('service_role', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_complete_sync_run@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_complete_sync_run@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon', 'integration_ops.complete_sync_run(uuid, integer, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_complete_sync_run@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
