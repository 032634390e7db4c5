-- Verify integration-sync:index_org_members_user_id on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.org_members_user_id_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX org_members_user_id_idx ON integration_ops.org_members USING btree (user_id)';
ROLLBACK;
