-- Verify integration-sync:table_integration_health_history on pg
BEGIN;
SELECT id, org_id, integration_type, status, latency_ms, checked_at, error_message, recorded_at
  FROM public.integration_health_history WHERE false;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class
 WHERE oid = 'public.integration_health_history'::regclass AND relrowsecurity;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class
 WHERE oid = 'public.integration_health_history_pair_idx'::regclass;
SELECT 1/((pg_catalog.has_table_privilege('authenticated', 'public.integration_health_history', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_health_history', 'insert')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_health_history', 'update')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.integration_health_history', 'delete')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'public.integration_health_history', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('service_role', 'public.integration_health_history', 'insert')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('service_role', 'public.integration_health_history', 'update')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('integration_worker', 'public.integration_health_history', 'select')) IS TRUE)::int;
ROLLBACK;
