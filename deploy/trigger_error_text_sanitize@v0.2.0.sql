-- Deploy integration-sync:trigger_error_text_sanitize to pg
-- requires: function_sanitize_error_text table_sync_run_log table_sync_run_log_archive table_integration_health_history
-- DESIGN §12: sanitising runs in triggers on every table that stores error text, so no
-- write path can skip it (a service_role INSERT/UPDATE, the reaper's message built from a
-- worker-supplied worker_id, a DBA's fix). integration_health_status has had its own
-- trigger since 0.1 (integration_health_status_sanitize); this adds public.sync_run_log,
-- integration_ops.sync_run_log_archive and public.integration_health_history (written only
-- by the status table's trigger, from sanitised rows: the trigger there is defence in depth).
-- The triggers fire only when there is text to sanitise (WHEN ... IS NOT NULL) and, on
-- UPDATE, only when error_message is assigned, so heartbeats and status changes pay nothing.
-- sanitize_error_text is idempotent, so text the RPCs already sanitised comes out the same.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sanitize_error_message()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  NEW.error_message := integration_ops.sanitize_error_text(NEW.error_message);
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION integration_ops.sanitize_error_message() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sanitize_error_message() IS
  'Trigger (BEFORE INSERT OR UPDATE OF error_message): NEW.error_message through integration_ops.sanitize_error_text. On sync_run_log, sync_run_log_archive and integration_health_history.';

DROP TRIGGER IF EXISTS sync_run_log_sanitize ON public.sync_run_log;
CREATE TRIGGER sync_run_log_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON public.sync_run_log
  FOR EACH ROW WHEN (NEW.error_message IS NOT NULL)
  EXECUTE FUNCTION integration_ops.sanitize_error_message();

DROP TRIGGER IF EXISTS sync_run_log_archive_sanitize ON integration_ops.sync_run_log_archive;
CREATE TRIGGER sync_run_log_archive_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON integration_ops.sync_run_log_archive
  FOR EACH ROW WHEN (NEW.error_message IS NOT NULL)
  EXECUTE FUNCTION integration_ops.sanitize_error_message();

DROP TRIGGER IF EXISTS integration_health_history_sanitize ON public.integration_health_history;
CREATE TRIGGER integration_health_history_sanitize
  BEFORE INSERT OR UPDATE OF error_message ON public.integration_health_history
  FOR EACH ROW WHEN (NEW.error_message IS NOT NULL)
  EXECUTE FUNCTION integration_ops.sanitize_error_message();

COMMENT ON COLUMN public.sync_run_log.error_message IS
  'Sanitised by the trigger sync_run_log_sanitize (integration_ops.sanitize_error_text), at most 2000 characters.';

COMMIT;
