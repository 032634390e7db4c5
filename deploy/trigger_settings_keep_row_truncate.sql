-- Deploy integration-sync:trigger_settings_keep_row_truncate to pg
-- requires: trigger_settings_keep_row function_refuse_settings_removal
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger settings_keep_row_truncate
-- was created by trigger_settings_keep_row (deploy/trigger_settings_keep_row@v0.2.0.sql);
-- this is its released definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS settings_keep_row_truncate ON integration_ops.settings;
CREATE TRIGGER settings_keep_row_truncate
  BEFORE TRUNCATE ON integration_ops.settings
  FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.refuse_settings_removal();
COMMIT;
