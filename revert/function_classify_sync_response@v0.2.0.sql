-- Revert integration-sync:function_classify_sync_response from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.classify_sync_response(integer, text, text);
COMMIT;
