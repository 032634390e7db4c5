-- Revert integration-sync:function_record_sync_outcome_health from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.record_sync_outcome_health(uuid, text, boolean, text);
COMMIT;
