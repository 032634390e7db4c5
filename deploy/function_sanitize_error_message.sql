-- Deploy integration-sync:function_sanitize_error_message to pg
-- requires: trigger_error_text_sanitize
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_error_text_sanitize. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sanitize_error_message()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  NEW.error_message := integration_ops.sanitize_error_text(NEW.error_message);
  RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.sanitize_error_message() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sanitize_error_message() IS
  'Trigger (BEFORE INSERT OR UPDATE OF error_message): NEW.error_message through integration_ops.sanitize_error_text. On sync_run_log, sync_run_log_archive and integration_health_history.';

COMMIT;
