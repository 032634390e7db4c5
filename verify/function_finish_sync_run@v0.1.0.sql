-- Verify integration-sync:function_finish_sync_run on pg
BEGIN;
DO $$
BEGIN
  IF (to_regprocedure('integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)') IS NOT NULL) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_finish_sync_run@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_finish_sync_run@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_finish_sync_run@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.finish_sync_run(uuid, text, integer, integer, text, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_finish_sync_run@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
