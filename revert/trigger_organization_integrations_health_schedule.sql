-- Revert integration-sync:trigger_organization_integrations_health_schedule from pg
-- Drops the trigger and its functions. The rows the deploy backfilled stay: they are
-- the bookkeeping rows release 0.1's claim_health_checks would have written itself.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_health_schedule ON public.organization_integrations;
DROP FUNCTION IF EXISTS integration_ops.trigger_health_schedule();
DROP FUNCTION IF EXISTS integration_ops.schedule_health_check(uuid, text, boolean);
COMMIT;
