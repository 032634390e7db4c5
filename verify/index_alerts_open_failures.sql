-- Verify integration-sync:index_alerts_open_failures on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.alerts_open_failures_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX alerts_open_failures_idx ON integration_ops.alerts USING btree ((((detail ->> ''consecutive_failures''::text))::integer) DESC, org_id, integration_type) WHERE ((kind = ''repeated_failures''::text) AND (resolved_at IS NULL))';
ROLLBACK;
