-- Verify integration-sync:function_claim_health_checks on pg
BEGIN;
SELECT org_id, integration_type, health_config, secret_ref
  FROM integration_ops.claim_health_checks('verify', 1) WHERE false;
DO $$
BEGIN
  IF (pg_catalog.has_function_privilege('integration_worker',
    'integration_ops.claim_health_checks(text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_claim_health_checks@v0.1.0.sql';
  END IF;
  IF (pg_catalog.has_function_privilege('service_role',
    'integration_ops.claim_health_checks(text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_claim_health_checks@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated',
    'integration_ops.claim_health_checks(text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_claim_health_checks@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('anon',
    'integration_ops.claim_health_checks(text, integer)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in function_claim_health_checks@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
