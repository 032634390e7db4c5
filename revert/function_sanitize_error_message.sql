-- Revert integration-sync:function_sanitize_error_message from pg: restore the 0.2 definition
-- (created by trigger_error_text_sanitize), its privileges and comment.
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
REVOKE ALL ON FUNCTION integration_ops.sanitize_error_message() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.sanitize_error_message() IS
  'Trigger (BEFORE INSERT OR UPDATE OF error_message): NEW.error_message through integration_ops.sanitize_error_text. On sync_run_log, sync_run_log_archive and integration_health_history.';

COMMIT;
