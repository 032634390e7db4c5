-- Verify integration-sync:index_sync_run_log_archive_pair_started on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.sync_run_log_archive_pair_started_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX sync_run_log_archive_pair_started_idx ON integration_ops.sync_run_log_archive USING btree (org_id, integration_type, started_at DESC)';
ROLLBACK;
