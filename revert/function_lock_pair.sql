-- Revert integration-sync:function_lock_pair from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.lock_pair(uuid, text);
COMMIT;
