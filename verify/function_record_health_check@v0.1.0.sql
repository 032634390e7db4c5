-- Verify integration-sync:function_record_health_check on pg
BEGIN;
DO $$
DECLARE
  v_row public.integration_health_status;
BEGIN
  v_row := integration_ops.record_health_check(gen_random_uuid(), 'xledger', 'degraded', 12, 'token=abc');
  IF (v_row.status = 'degraded' AND v_row.consecutive_failures = 1 AND v_row.latency_ms = 12) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
  IF (v_row.error_message = 'token=[redacted]') IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
  IF (integration_ops.health_backoff('15 minutes', 10, '4 hours') = interval '4 hours') IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('integration_worker',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('service_role',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_record_health_check@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
