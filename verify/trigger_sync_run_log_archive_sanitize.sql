-- Verify integration-sync:trigger_sync_run_log_archive_sanitize on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.sync_run_log_archive'::regclass AND tgname = 'sync_run_log_archive_sanitize'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER sync_run_log_archive_sanitize BEFORE INSERT OR UPDATE OF error_message ON integration_ops.sync_run_log_archive FOR EACH ROW WHEN ((new.error_message IS NOT NULL)) EXECUTE FUNCTION integration_ops.sanitize_error_message()';
ROLLBACK;
