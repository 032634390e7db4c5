-- Revert integration-sync:function_archive_sync_run_log from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.archive_sync_run_log();
COMMIT;
