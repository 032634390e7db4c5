-- Revert integration-sync:function_record_warmup from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.record_warmup(uuid, text, integer, text);
COMMIT;
