-- Revert integration-sync:function_is_error_code from pg
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP FUNCTION IF EXISTS integration_ops.is_error_code(text);

COMMIT;
