-- Revert integration-sync:function_dispatch_due_syncs from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.dispatch_due_syncs();
COMMIT;
