-- Revert integration-sync:function_webhook_headers from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.webhook_headers(text, text, text, text, timestamptz);
COMMIT;
