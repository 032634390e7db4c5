-- Verify integration-sync:trigger_organization_integrations_schedule on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_schedule';
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_schedule_change'
   AND tgqual IS NOT NULL;
SELECT 1/(integration_ops.next_sync_slot('1 hour', '2000-01-01 00:00+00', '2026-01-01 10:20+00') = '2026-01-01 11:00+00')::int;
SELECT 1/(integration_ops.next_sync_slot('1 hour', '2000-01-01 00:00+00', '2026-01-01 11:00+00') = '2026-01-01 12:00+00')::int;
-- a fixed-length day, whatever the session time zone (DST in Europe/Oslo on 2026-03-29)
SET LOCAL TimeZone = 'Europe/Oslo';
SELECT 1/(integration_ops.next_sync_slot('1 day', '2000-01-01 00:00+00', '2026-03-28 12:00+00') = '2026-03-29 00:00+00')::int;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.set_next_sync_at()'::regprocedure) LIKE '%integration_ops.clock()%')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.next_sync_slot(interval, timestamptz, timestamptz)', 'execute'))::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.next_sync_slot(interval,timestamp with time zone,timestamp with time zone)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.set_next_sync_at()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_schedule_change'
   AND tgenabled = 'O' AND NOT tgisinternal;
ROLLBACK;
