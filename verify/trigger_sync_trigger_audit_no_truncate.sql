-- Verify integration-sync:trigger_sync_trigger_audit_no_truncate on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.sync_trigger_audit'::regclass AND tgname = 'sync_trigger_audit_no_truncate'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER sync_trigger_audit_no_truncate BEFORE TRUNCATE ON integration_ops.sync_trigger_audit FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.refuse_audit_change()';
ROLLBACK;
