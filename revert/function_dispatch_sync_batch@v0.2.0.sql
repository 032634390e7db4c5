-- Revert integration-sync:function_dispatch_sync_batch from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.dispatch_sync_batch();
COMMIT;
