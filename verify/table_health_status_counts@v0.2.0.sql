-- Verify integration-sync:table_health_status_counts on pg
BEGIN;
SELECT integration_type, slot, healthy, degraded, unreachable
  FROM integration_ops.health_status_counts WHERE false;
-- Four triggers keep the counts.
SELECT 1 / (COUNT(*) = 4)::int FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.integration_health_status'::regclass
   AND tgname LIKE 'integration\_health\_status\_counts\_%'
   AND tgfoid = 'integration_ops.trigger_health_status_counts()'::regprocedure
   AND tgenabled = 'O';
-- The counts equal a full count of the status table.
SELECT 1 / (NOT EXISTS (
  (SELECT c.integration_type, sum(c.healthy), sum(c.degraded), sum(c.unreachable)
     FROM integration_ops.health_status_counts AS c
    GROUP BY c.integration_type
   HAVING sum(c.healthy + c.degraded + c.unreachable) > 0)
  EXCEPT ALL
  (SELECT hs.integration_type, count(*) FILTER (WHERE hs.status = 'healthy'),
          count(*) FILTER (WHERE hs.status = 'degraded'), count(*) FILTER (WHERE hs.status = 'unreachable')
     FROM public.integration_health_status AS hs
    WHERE hs.status IS NOT NULL
    GROUP BY hs.integration_type)))::int;
SELECT 1 / (NOT EXISTS (
  (SELECT hs.integration_type FROM public.integration_health_status AS hs WHERE hs.status IS NOT NULL)
  EXCEPT
  (SELECT c.integration_type FROM integration_ops.health_status_counts AS c
    GROUP BY c.integration_type HAVING sum(c.healthy + c.degraded + c.unreachable) > 0)))::int;
-- No API role reads or writes the counters or runs their functions.
SELECT 1 / (NOT pg_catalog.has_table_privilege('service_role', 'integration_ops.health_status_counts', 'select'))::int;
SELECT 1 / (NOT pg_catalog.has_table_privilege('authenticated', 'integration_ops.health_status_counts', 'select'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('integration_worker',
  'integration_ops.rebuild_health_status_counts()', 'execute'))::int;
SELECT 1 / (NOT pg_catalog.has_function_privilege('service_role',
  'integration_ops.add_health_status_counts(text, integer, integer, integer)', 'execute'))::int;
ROLLBACK;
