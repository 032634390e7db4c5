-- Verify integration-sync:index_integration_health_history_checked_at on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.integration_health_history_checked_at_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX integration_health_history_checked_at_idx ON public.integration_health_history USING btree (checked_at)';
ROLLBACK;
