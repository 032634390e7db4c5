-- Verify integration-sync:function_claim_health_checks on pg
BEGIN;
SELECT org_id, integration_type, health_config, secret_ref
  FROM integration_ops.claim_health_checks('verify', 1) WHERE false;
DO $$
BEGIN
  ASSERT pg_catalog.has_function_privilege('integration_worker',
    'integration_ops.claim_health_checks(text, integer)', 'execute');
  ASSERT pg_catalog.has_function_privilege('service_role',
    'integration_ops.claim_health_checks(text, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('authenticated',
    'integration_ops.claim_health_checks(text, integer)', 'execute');
  ASSERT NOT pg_catalog.has_function_privilege('anon',
    'integration_ops.claim_health_checks(text, integer)', 'execute');
END
$$;
ROLLBACK;
