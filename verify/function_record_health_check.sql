-- Verify integration-sync:function_record_health_check on pg
BEGIN;
-- The 0.2 body (status row locked before the configuration is read; loud settings reader).
SELECT 1 / (pg_catalog.pg_get_functiondef(
  'integration_ops.record_health_check(uuid, text, text, integer, text)'::regprocedure)
  LIKE '%integration_ops.settings_row()%FOR UPDATE%')::int;
DO $$
DECLARE
  v_row public.integration_health_status;
BEGIN
  v_row := integration_ops.record_health_check(gen_random_uuid(), 'xledger', 'degraded', 12, 'token=abc');
  IF NOT (v_row.status = 'degraded' AND v_row.consecutive_failures = 1 AND v_row.latency_ms = 12
          AND v_row.next_check_at IS NULL AND v_row.error_message = 'token=[redacted]') THEN
    RAISE EXCEPTION 'record_health_check stored %', v_row;
  END IF;
  IF integration_ops.health_backoff('15 minutes', 10, '4 hours') <> interval '4 hours' THEN
    RAISE EXCEPTION 'health_backoff is not capped';
  END IF;
END
$$;
SELECT 1 / pg_catalog.has_function_privilege('integration_worker',
  'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')::int;
SELECT 1 / pg_catalog.has_function_privilege('service_role',
  'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('authenticated',
  'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('anon',
  'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.record_health_check(uuid,text,text,integer,text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.record_health_check(uuid,text,text,integer,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.record_health_check(uuid,text,text,integer,text)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.record_health_check(uuid,text,text,integer,text)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.record_health_check(uuid,text,text,integer,text)', 'execute') IS TRUE)::int;
ROLLBACK;
