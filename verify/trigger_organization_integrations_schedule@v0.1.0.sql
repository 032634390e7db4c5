-- Verify integration-sync:trigger_organization_integrations_schedule on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_schedule';
DO $$
BEGIN
  IF (integration_ops.next_sync_slot('1 hour', '2000-01-01 00:00+00', '2026-01-01 10:20+00') = '2026-01-01 11:00+00') IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in trigger_organization_integrations_schedule@v0.1.0.sql';
  END IF;
  IF (integration_ops.next_sync_slot('1 hour', '2000-01-01 00:00+00', '2026-01-01 11:00+00') = '2026-01-01 12:00+00') IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in trigger_organization_integrations_schedule@v0.1.0.sql';
  END IF;
  IF (NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.next_sync_slot(interval, timestamptz, timestamptz)', 'execute')) IS NOT TRUE THEN
    RAISE EXCEPTION 'verify check failed in trigger_organization_integrations_schedule@v0.1.0.sql';
  END IF;
END
$$;
ROLLBACK;
