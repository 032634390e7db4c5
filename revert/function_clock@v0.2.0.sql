-- Revert integration-sync:function_clock from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.clock();
COMMIT;
