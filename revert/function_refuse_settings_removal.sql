-- Revert integration-sync:function_refuse_settings_removal from pg: restore the 0.2 definition
-- (created by trigger_settings_keep_row), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refuse_settings_removal()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  RAISE EXCEPTION 'integration_ops.settings keeps exactly one row: % is refused', TG_OP
    USING ERRCODE = '55000', HINT = 'UPDATE the row instead.';
END
$$;

REVOKE ALL ON FUNCTION integration_ops.refuse_settings_removal() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.refuse_settings_removal() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.refuse_settings_removal() IS
  'Trigger: refuses DELETE and TRUNCATE on integration_ops.settings (exactly one row).';

COMMIT;
