-- Verify integration-sync:trigger_settings_keep_row on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.settings'::regclass AND tgname = 'settings_keep_row' AND tgenabled <> 'D';
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.settings'::regclass AND tgname = 'settings_keep_row_truncate' AND tgenabled <> 'D';
ROLLBACK;
