-- Deploy integration-sync:trigger_settings_keep_row to pg
-- requires: trigger_settings_keep_row@v0.2.0 trigger_settings_keep_row_truncate function_refuse_settings_removal
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.refuse_settings_removal -> function_refuse_settings_removal
--   trigger settings_keep_row_truncate -> trigger_settings_keep_row_truncate
-- The released scripts: deploy/trigger_settings_keep_row@v0.2.0.sql (frozen); a deploy runs
-- them first, so every object named here exists before this rework, which restates only
-- what is this change's own.
-- integration_ops.settings holds exactly one row (its primary key is `true`): inserting a
-- second is impossible, and this makes deleting or truncating the one row impossible too,
-- for every role including the owner.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS settings_keep_row ON integration_ops.settings;
CREATE TRIGGER settings_keep_row
  BEFORE DELETE ON integration_ops.settings
  FOR EACH ROW EXECUTE FUNCTION integration_ops.refuse_settings_removal();

COMMIT;
