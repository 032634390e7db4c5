-- Revert integration-sync:function_start_manual_sync from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.start_manual_sync(uuid, text, boolean);
COMMIT;
