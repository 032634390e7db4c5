-- Revert integration-sync:trigger_organization_integrations_pending_runs from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_pending_runs ON public.organization_integrations;
DROP TRIGGER IF EXISTS organization_integrations_pending_runs_removed ON public.organization_integrations;
DROP FUNCTION IF EXISTS integration_ops.settle_pending_sync_runs();
COMMIT;
