-- Revert integration-sync:trigger_error_text_sanitize from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS integration_health_history_sanitize ON public.integration_health_history;
DROP TRIGGER IF EXISTS sync_run_log_archive_sanitize ON integration_ops.sync_run_log_archive;
DROP TRIGGER IF EXISTS sync_run_log_sanitize ON public.sync_run_log;
DROP FUNCTION IF EXISTS integration_ops.sanitize_error_message();
COMMENT ON COLUMN public.sync_run_log.error_message IS 'Sanitised (integration_ops.sanitize_error_text), at most 2000 characters.';
COMMIT;
