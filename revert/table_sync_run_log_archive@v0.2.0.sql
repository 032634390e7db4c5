-- Revert integration-sync:table_sync_run_log_archive from pg
BEGIN;
DROP TABLE IF EXISTS integration_ops.sync_run_log_archive;
COMMIT;
