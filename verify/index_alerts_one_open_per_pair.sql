-- Verify integration-sync:index_alerts_one_open_per_pair on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.alerts_one_open_per_pair'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE UNIQUE INDEX alerts_one_open_per_pair ON integration_ops.alerts USING btree (kind, org_id, integration_type) WHERE (resolved_at IS NULL)';
ROLLBACK;
