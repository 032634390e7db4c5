-- Revert integration-sync:function_claim_health_checks from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.claim_health_checks(text, integer);
COMMIT;
