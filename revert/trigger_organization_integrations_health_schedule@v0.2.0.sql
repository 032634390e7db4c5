-- Revert integration-sync:trigger_organization_integrations_health_schedule from pg
-- Drops the trigger and its functions. The rows the deploy backfilled stay: they are
-- the bookkeeping rows release 0.1's claim_health_checks would have written itself.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_health_schedule ON public.organization_integrations;
DROP FUNCTION IF EXISTS integration_ops.trigger_health_schedule();
DROP FUNCTION IF EXISTS integration_ops.schedule_health_check(uuid, text, boolean);
COMMENT ON TABLE public.integration_health_status IS
  'Current health of each (org, integration) pair: one row per pair. Written by integration_ops.record_health_check (results) and claim_health_checks (scheduling bookkeeping); every result write is copied to integration_health_history by a trigger. Readable by the org''s admins and by global admins; written only by service_role and the package''s functions.';
COMMENT ON COLUMN public.integration_health_status.status IS 'healthy, degraded or unreachable; NULL until the first result (a claim bookkeeping row).';
COMMENT ON COLUMN public.integration_health_status.next_check_at IS 'When the pair is next due for an active check: set from the interval and the backoff by record_health_check, pushed forward (a lease) by claim_health_checks.';
COMMIT;
