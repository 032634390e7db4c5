-- Revert integration-sync:trigger_sync_run_log_archive_sanitize from pg
-- Nothing to undo: the trigger sync_run_log_archive_sanitize was created by
-- trigger_error_text_sanitize's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when trigger_error_text_sanitize is
-- reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
