-- Revert integration-sync:trigger_organization_integrations_url_rules from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_url_rules ON public.organization_integrations;
COMMIT;
