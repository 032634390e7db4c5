-- Revert integration-sync:procedure_dispatch_all_due_syncs from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP PROCEDURE IF EXISTS integration_ops.dispatch_all_due_syncs();
COMMIT;
