-- Verify integration-sync:function_record_health_check on pg
BEGIN;
DO $$
DECLARE
  v_row public.integration_health_status;
BEGIN
  v_row := integration_ops.record_health_check(gen_random_uuid(), 'xledger', 'degraded', 12, 'token=abc');
  ASSERT v_row.status = 'degraded' AND v_row.consecutive_failures = 1 AND v_row.latency_ms = 12;
  ASSERT v_row.error_message = 'token=[redacted]', v_row.error_message;
  ASSERT integration_ops.health_backoff('15 minutes', 10, '4 hours') = interval '4 hours';
  ASSERT pg_catalog.has_function_privilege('integration_worker',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon',
    'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute');
END
$$;
ROLLBACK;
