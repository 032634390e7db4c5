-- Revert integration-sync:table_sync_run_log_archive_identifier_checks from pg
-- Drops the checks; values cleared by the deploy stay cleared.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.sync_run_log_archive DROP CONSTRAINT IF EXISTS sync_run_log_archive_error_code_format;
ALTER TABLE integration_ops.sync_run_log_archive DROP CONSTRAINT IF EXISTS sync_run_log_archive_worker_id_format;

COMMIT;
