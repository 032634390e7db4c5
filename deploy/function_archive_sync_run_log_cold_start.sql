-- Deploy integration-sync:function_archive_sync_run_log_cold_start to pg
-- requires: function_archive_sync_run_log_cold_start@v0.2.0 function_archive_sync_run_log
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.archive_sync_run_log -> function_archive_sync_run_log
-- The released scripts: deploy/function_archive_sync_run_log_cold_start@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own. That is nothing: it names no object of its
-- own.
-- Its notes until 0.2, on the objects that are now defined elsewhere:
-- archive_sync_run_log() lists its columns explicitly: this redefinition carries the new
-- sync_run_log.cold_start column into the archive (otherwise the flag would be dropped on
-- archival). Same body as function_archive_sync_run_log otherwise; the revert restores it.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
