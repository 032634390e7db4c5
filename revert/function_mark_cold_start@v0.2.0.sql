-- Revert integration-sync:function_mark_cold_start from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.mark_cold_start(uuid, text, text);
COMMIT;
