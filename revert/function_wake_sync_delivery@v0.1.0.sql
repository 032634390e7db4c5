-- Revert integration-sync:function_wake_sync_delivery from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.wake_sync_delivery(uuid[]);
COMMIT;
