-- Verify integration-sync:table_organization_integrations on pg
BEGIN;
SELECT org_id, integration_type, enabled, sync_interval, sync_anchor, next_sync_at, endpoint_url,
       health_mode, health_check_interval, health_config, secret_ref, delivery, created_at, updated_at
  FROM public.organization_integrations WHERE false;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class
 WHERE oid = 'public.organization_integrations'::regclass AND relrowsecurity;
DO $$
BEGIN
  ASSERT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'select');
  ASSERT NOT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'insert');
  ASSERT NOT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'update');
  ASSERT NOT pg_catalog.has_table_privilege('authenticated', 'public.organization_integrations', 'delete');
  ASSERT NOT pg_catalog.has_table_privilege('anon', 'public.organization_integrations', 'select');
  ASSERT pg_catalog.has_table_privilege('service_role', 'public.organization_integrations', 'insert');
END
$$;
ROLLBACK;
