-- Verify integration-sync:trigger_sync_trigger_audit_append_only on pg
-- The trigger exists, is enabled, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.sync_trigger_audit'::regclass AND tgname = 'sync_trigger_audit_append_only'
   AND tgenabled = 'O' AND NOT tgisinternal
   AND pg_catalog.pg_get_triggerdef(oid) = 'CREATE TRIGGER sync_trigger_audit_append_only BEFORE DELETE OR UPDATE ON integration_ops.sync_trigger_audit FOR EACH ROW EXECUTE FUNCTION integration_ops.refuse_audit_change()';
ROLLBACK;
