-- Verify integration-sync:trigger_organization_integrations_delivery on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_delivery';
ROLLBACK;
