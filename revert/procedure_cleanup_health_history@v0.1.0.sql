-- Revert integration-sync:procedure_cleanup_health_history from pg
BEGIN;
DROP PROCEDURE IF EXISTS integration_ops.cleanup_health_history();
COMMIT;
