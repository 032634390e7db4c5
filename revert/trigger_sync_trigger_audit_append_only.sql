-- Revert integration-sync:trigger_sync_trigger_audit_append_only from pg
-- Nothing to undo: the trigger sync_trigger_audit_append_only was created by
-- table_sync_trigger_audit's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when table_sync_trigger_audit is
-- reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
