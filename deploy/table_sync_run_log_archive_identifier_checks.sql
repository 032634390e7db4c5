-- Deploy integration-sync:table_sync_run_log_archive_identifier_checks to pg
-- requires: table_sync_run_log_archive function_is_worker_id function_is_error_code
-- Checks on integration_ops.sync_run_log_archive.worker_id and .error_code.
-- 0.3 (issue 21, DESIGN §13): a worker id and an error code are shown to coordinators; 0.2
-- stored them raw (`host-1 password=hunter2`). The checks call the one rule of each
-- (integration_ops.is_worker_id, integration_ops.is_error_code) and are added NOT VALID: no
-- scan under the table lock, and rows written before 0.3 are not re-read; every new write,
-- INSERT or UPDATE, is checked. Unlike the live tables (table_sync_run_log_identifier_checks),
-- nothing is cleared here: the archive is only written by archive_sync_run_log(), which
-- copies (or overwrites with) live rows that passed the checks of sync_run_log, and its old
-- rows are never updated, so an old value never blocks a write (and the archive, which may
-- be large, is not scanned).
BEGIN;
SET LOCAL lock_timeout = '5s';

-- Re-runnable: the same check is added again right below.
-- squawk-ignore ban-drop-constraint
ALTER TABLE integration_ops.sync_run_log_archive DROP CONSTRAINT IF EXISTS sync_run_log_archive_worker_id_format;
ALTER TABLE integration_ops.sync_run_log_archive
  ADD CONSTRAINT sync_run_log_archive_worker_id_format
  CHECK (worker_id IS NULL OR integration_ops.is_worker_id(worker_id)) NOT VALID;
COMMENT ON CONSTRAINT sync_run_log_archive_worker_id_format ON integration_ops.sync_run_log_archive IS
  'worker_id is NULL or a worker id (integration_ops.is_worker_id); NOT VALID: rows written before 0.3 are not re-read (DESIGN §13).';

-- Re-runnable: the same check is added again right below.
-- squawk-ignore ban-drop-constraint
ALTER TABLE integration_ops.sync_run_log_archive DROP CONSTRAINT IF EXISTS sync_run_log_archive_error_code_format;
ALTER TABLE integration_ops.sync_run_log_archive
  ADD CONSTRAINT sync_run_log_archive_error_code_format
  CHECK (error_code IS NULL OR integration_ops.is_error_code(error_code)) NOT VALID;
COMMENT ON CONSTRAINT sync_run_log_archive_error_code_format ON integration_ops.sync_run_log_archive IS
  'error_code is NULL or an error code (integration_ops.is_error_code); NOT VALID: rows written before 0.3 are not re-read (DESIGN §13).';

COMMIT;
