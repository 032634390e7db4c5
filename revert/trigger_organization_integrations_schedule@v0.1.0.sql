-- Revert integration-sync:trigger_organization_integrations_schedule from pg
BEGIN;
DROP TRIGGER IF EXISTS organization_integrations_schedule ON public.organization_integrations;
DROP FUNCTION IF EXISTS integration_ops.set_next_sync_at();
DROP FUNCTION IF EXISTS integration_ops.next_sync_slot(interval, timestamptz, timestamptz);
COMMIT;
