-- Verify integration-sync:index_sync_run_log_manual on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.sync_run_log_manual_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX sync_run_log_manual_idx ON public.sync_run_log USING btree (org_id, integration_type, created_at DESC) WHERE (triggered_by = ''manual''::text)';
ROLLBACK;
