-- Revert integration-sync:function_claim_warmups from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.claim_warmups(text, integer);
DROP FUNCTION IF EXISTS integration_ops.take_warmups(text, text, integer, interval);
COMMIT;
