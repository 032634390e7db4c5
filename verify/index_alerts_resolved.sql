-- Verify integration-sync:index_alerts_resolved on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.alerts_resolved_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX alerts_resolved_idx ON integration_ops.alerts USING btree (resolved_at) WHERE (resolved_at IS NOT NULL)';
ROLLBACK;
