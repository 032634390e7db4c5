-- Verify integration-sync:trigger_settings_keep_row_truncate on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.settings'::regclass AND tgname = 'settings_keep_row_truncate'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER settings_keep_row_truncate BEFORE TRUNCATE ON integration_ops.settings FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.refuse_settings_removal()';
ROLLBACK;
