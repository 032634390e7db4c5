-- Verify integration-sync:index_sync_trigger_audit_user on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.sync_trigger_audit_user_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX sync_trigger_audit_user_idx ON integration_ops.sync_trigger_audit USING btree (user_id, created_at DESC)';
ROLLBACK;
