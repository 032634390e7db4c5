-- Revert integration-sync:function_sanitize_error_text from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.sanitize_error_text(text);
COMMIT;
