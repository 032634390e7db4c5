-- Deploy integration-sync:trigger_settings_keep_row to pg
-- requires: table_settings
-- integration_ops.settings holds exactly one row (its primary key is `true`): inserting a
-- second is impossible, and this makes deleting or truncating the one row impossible too,
-- for every role including the owner.
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
COMMENT ON FUNCTION integration_ops.refuse_settings_removal() IS
  'Trigger: refuses DELETE and TRUNCATE on integration_ops.settings (exactly one row).';

DROP TRIGGER IF EXISTS settings_keep_row ON integration_ops.settings;
CREATE TRIGGER settings_keep_row
  BEFORE DELETE ON integration_ops.settings
  FOR EACH ROW EXECUTE FUNCTION integration_ops.refuse_settings_removal();
DROP TRIGGER IF EXISTS settings_keep_row_truncate ON integration_ops.settings;
CREATE TRIGGER settings_keep_row_truncate
  BEFORE TRUNCATE ON integration_ops.settings
  FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.refuse_settings_removal();

COMMIT;
