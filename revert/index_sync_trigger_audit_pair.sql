-- Revert integration-sync:index_sync_trigger_audit_pair from pg
-- Nothing to undo: the index sync_trigger_audit_pair_idx was created by
-- table_sync_trigger_audit's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when table_sync_trigger_audit is
-- reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
