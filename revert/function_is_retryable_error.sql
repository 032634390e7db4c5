-- Revert integration-sync:function_is_retryable_error from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.is_retryable_error(text);
COMMIT;
