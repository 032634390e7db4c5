-- Verify integration-sync:table_integration_health_status on pg
BEGIN;
SELECT id, org_id, integration_type, status, latency_ms, checked_at, error_message,
       consecutive_failures, next_check_at, claimed_by, claimed_at, updated_at
  FROM public.integration_health_status WHERE false;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class
 WHERE oid = 'public.integration_health_status'::regclass AND relrowsecurity;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_constraint
 WHERE conname = 'integration_health_status_pair_key' AND contype = 'u';
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgname = 'integration_health_status_sanitize'
   AND tgrelid = 'public.integration_health_status'::regclass;
DO $$
BEGIN
  IF (pg_catalog.has_table_privilege('authenticated', 'public.integration_health_status', 'select')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_health_status', 'insert')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_health_status', 'update')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_health_status', 'delete')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_table_privilege('anon', 'public.integration_health_status', 'select')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
  IF (NOT pg_catalog.has_table_privilege('integration_worker', 'public.integration_health_status', 'select')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
  IF (pg_catalog.has_table_privilege('service_role', 'public.integration_health_status', 'insert')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in table_integration_health_status.sql';
  END IF;
END
$$;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.sanitize_health_error_message()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.integration_health_status_next_check_idx'::regclass AND indisvalid;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_status'::regclass AND tgname = 'integration_health_status_sanitize'
   AND tgenabled = 'O' AND NOT tgisinternal;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_status'::regclass AND tgname = 'integration_health_status_touch'
   AND tgenabled = 'O' AND NOT tgisinternal;
ROLLBACK;
