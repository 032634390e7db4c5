-- Deploy integration-sync:trigger_sync_run_log_archive_sanitize to pg
-- requires: trigger_error_text_sanitize function_sanitize_error_message
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- sync_run_log_archive_sanitize was created by trigger_error_text_sanitize
-- (deploy/trigger_error_text_sanitize@v0.2.0.sql); this is its released definition, so a
-- database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS sync_run_log_archive_sanitize ON integration_ops.sync_run_log_archive;
CREATE TRIGGER sync_run_log_archive_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON integration_ops.sync_run_log_archive
  FOR EACH ROW WHEN (NEW.error_message IS NOT NULL)
  EXECUTE FUNCTION integration_ops.sanitize_error_message();
COMMIT;
