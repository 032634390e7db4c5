-- Deploy integration-sync:function_sanitize_health_error_message to pg
-- requires: table_integration_health_status
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- table_integration_health_status. Reverting restores that definition.
-- Every stored error message is sanitised, whatever wrote it (the worker RPC, a
-- service_role write, a DBA).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.sanitize_health_error_message()
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

REVOKE ALL ON FUNCTION integration_ops.sanitize_health_error_message() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.sanitize_health_error_message() IS
  'Trigger: pass error_message through integration_ops.sanitize_error_text before it is stored.';

COMMIT;
