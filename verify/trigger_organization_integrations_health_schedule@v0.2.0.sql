-- Verify integration-sync:trigger_organization_integrations_health_schedule on pg
BEGIN;
-- The trigger exists, is enabled, and fires AFTER each row on INSERT, DELETE and UPDATE.
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass
   AND tgname = 'organization_integrations_health_schedule'
   AND tgenabled = 'O'
   AND tgfoid = 'integration_ops.trigger_health_schedule()'::regprocedure;
-- Nobody but the owner executes the helpers.
SELECT 1 / (NOT pg_catalog.has_function_privilege('integration_worker',
  'integration_ops.schedule_health_check(uuid, text, boolean)', 'execute'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('service_role',
  'integration_ops.schedule_health_check(uuid, text, boolean)', 'execute'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('authenticated',
  'integration_ops.trigger_health_schedule()', 'execute'))::int;
-- The invariant holds: every checkable pair has a scheduled check.
SELECT 1 / (NOT EXISTS (
  SELECT FROM public.organization_integrations AS oi
   WHERE oi.enabled AND oi.health_mode = 'active'
     AND NOT EXISTS (SELECT FROM public.integration_health_status AS hs
                      WHERE hs.org_id = oi.org_id AND hs.integration_type = oi.integration_type
                        AND hs.next_check_at IS NOT NULL)))::int;
ROLLBACK;
