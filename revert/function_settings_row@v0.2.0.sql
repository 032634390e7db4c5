-- Revert integration-sync:function_settings_row from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.settings_row();
COMMIT;
