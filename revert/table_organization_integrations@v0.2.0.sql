-- Revert integration-sync:table_organization_integrations from pg
BEGIN;
DROP TABLE IF EXISTS public.organization_integrations;
COMMIT;
