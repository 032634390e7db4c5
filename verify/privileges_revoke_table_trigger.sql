-- Verify integration-sync:privileges_revoke_table_trigger on pg
-- Raises whatever the settings: SELECT 1/(condition)::int.
BEGIN;
-- no API role (nor the worker, nor PUBLIC through them) holds TRIGGER, TRUNCATE, REFERENCES
SELECT 1/(pg_catalog.count(*) = 0)::int
  FROM pg_catalog.pg_class AS c
  CROSS JOIN pg_catalog.unnest(ARRAY['anon', 'authenticated', 'service_role', 'integration_worker']) AS r(role)
  CROSS JOIN pg_catalog.unnest(ARRAY['TRIGGER', 'TRUNCATE', 'REFERENCES']) AS p(privilege)
 WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace)
   AND c.relkind IN ('r', 'p')
   AND pg_catalog.has_table_privilege(r.role, c.oid, p.privilege);
-- service_role still writes the public tables
SELECT 1/(pg_catalog.has_table_privilege('service_role', 'public.sync_run_log', 'INSERT, UPDATE, DELETE') IS TRUE)::int;
SELECT 1/(pg_catalog.has_table_privilege('service_role', 'public.organization_integrations', 'INSERT, UPDATE, DELETE') IS TRUE)::int;
ROLLBACK;
