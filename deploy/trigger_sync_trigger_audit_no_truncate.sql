-- Deploy integration-sync:trigger_sync_trigger_audit_no_truncate to pg
-- requires: table_sync_trigger_audit function_refuse_audit_change
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- sync_trigger_audit_no_truncate was created by table_sync_trigger_audit
-- (deploy/table_sync_trigger_audit@v0.2.0.sql); this is its released definition, so a
-- database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS sync_trigger_audit_no_truncate ON integration_ops.sync_trigger_audit;
CREATE TRIGGER sync_trigger_audit_no_truncate
  BEFORE TRUNCATE ON integration_ops.sync_trigger_audit
  FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.refuse_audit_change();
COMMIT;
