-- Verify integration-sync:table_organization_integrations on pg
BEGIN;
SELECT org_id, integration_type, enabled, sync_interval, sync_anchor, next_sync_at, endpoint_url,
       health_mode, health_check_interval, health_config, secret_ref, delivery, created_at, updated_at
  FROM public.organization_integrations WHERE false;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class
 WHERE oid = 'public.organization_integrations'::regclass AND relrowsecurity;
SELECT 1/((pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'insert')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'update')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'delete')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'public.organization_integrations', 'select')) IS TRUE)::int;
SELECT 1/((pg_catalog.has_table_privilege('service_role', 'public.organization_integrations', 'insert')) IS TRUE)::int;
ROLLBACK;
