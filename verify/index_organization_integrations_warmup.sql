-- Verify integration-sync:index_organization_integrations_warmup on pg
-- The index exists, is valid, and has its released definition.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.organization_integrations_warmup_idx'::regclass AND indisvalid AND indisready
   AND pg_catalog.pg_get_indexdef(indexrelid) = 'CREATE INDEX organization_integrations_warmup_idx ON public.organization_integrations USING btree (next_sync_at) WHERE (warmup_url IS NOT NULL)';
ROLLBACK;
