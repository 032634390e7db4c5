-- Revert integration-sync:procedure_archive_sync_run_log_backlog from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP PROCEDURE IF EXISTS integration_ops.archive_sync_run_log_backlog();
COMMIT;
