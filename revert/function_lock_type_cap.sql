-- Revert integration-sync:function_lock_type_cap from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.lock_type_cap(text);
COMMIT;
