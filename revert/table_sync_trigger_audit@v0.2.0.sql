-- Revert integration-sync:table_sync_trigger_audit from pg
BEGIN;
DROP TABLE IF EXISTS integration_ops.sync_trigger_audit;
DROP FUNCTION IF EXISTS integration_ops.refuse_audit_change();
COMMIT;
