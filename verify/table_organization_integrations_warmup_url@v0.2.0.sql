-- Verify integration-sync:table_organization_integrations_warmup_url on pg
BEGIN;
SELECT warmup_url FROM public.organization_integrations WHERE false;
SELECT 1/COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'public' AND indexname = 'organization_integrations_warmup_idx';
SELECT 1/has_column_privilege('authenticated', 'public.organization_integrations', 'warmup_url', 'SELECT')::int;
SELECT 1/(NOT has_column_privilege('anon', 'public.organization_integrations', 'warmup_url', 'SELECT'))::int;
ROLLBACK;
