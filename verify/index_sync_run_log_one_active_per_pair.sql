-- Verify integration-sync:index_sync_run_log_one_active_per_pair on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.sync_run_log_one_active_per_pair'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE UNIQUE INDEX sync_run_log_one_active_per_pair ON public.sync_run_log USING btree (org_id, integration_type) WHERE (status = ANY (ARRAY[''pending''::text, ''running''::text]))';
ROLLBACK;
