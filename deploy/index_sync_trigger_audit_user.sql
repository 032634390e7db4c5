-- Deploy integration-sync:index_sync_trigger_audit_user to pg
-- requires: table_sync_trigger_audit
-- 0.3 (issue 25): one object, one change. Until 0.2 the index sync_trigger_audit_user_idx
-- was created by table_sync_trigger_audit (deploy/table_sync_trigger_audit@v0.2.0.sql);
-- this is its released definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX (deploy scripts are transactions): table_sync_trigger_audit's
-- released script built the index, so IF NOT EXISTS makes this a no-op wherever this change
-- is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS sync_trigger_audit_user_idx
  ON integration_ops.sync_trigger_audit (user_id, created_at DESC);
COMMIT;
