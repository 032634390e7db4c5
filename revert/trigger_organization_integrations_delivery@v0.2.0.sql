-- Revert integration-sync:trigger_organization_integrations_delivery from pg
BEGIN;
DROP TRIGGER IF EXISTS organization_integrations_delivery ON public.organization_integrations;
DROP FUNCTION IF EXISTS integration_ops.check_delivery();
COMMIT;
