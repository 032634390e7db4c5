-- Revert integration-sync:function_raise_error from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.raise_error(text, text);
DROP FUNCTION IF EXISTS integration_ops.error_sqlstate(text);
COMMIT;
