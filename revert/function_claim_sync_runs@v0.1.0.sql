-- Revert integration-sync:function_claim_sync_runs from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.claim_sync_runs(text, integer);
COMMIT;
