-- Revert integration-sync:trigger_settings_keep_row from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS settings_keep_row ON integration_ops.settings;
DROP TRIGGER IF EXISTS settings_keep_row_truncate ON integration_ops.settings;
DROP FUNCTION IF EXISTS integration_ops.refuse_settings_removal();
COMMIT;
