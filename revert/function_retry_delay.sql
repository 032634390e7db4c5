-- Revert integration-sync:function_retry_delay from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.retry_delay(integer, text, timestamptz);
COMMIT;
