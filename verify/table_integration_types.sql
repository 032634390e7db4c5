-- Verify integration-sync:table_integration_types on pg
BEGIN;
SELECT integration_type, display_name, category, created_at FROM public.integration_types WHERE false;
SELECT 1 / (COUNT(*) = 3)::int FROM public.integration_types
 WHERE integration_type IN ('xledger', 'dynamics', 'bufdir');
SELECT 1/((pg_catalog.has_table_privilege('authenticated', 'public.integration_types', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_types', 'insert')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'public.integration_types', 'select')) IS TRUE)::int;
ROLLBACK;
