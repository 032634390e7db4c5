-- Deploy integration-sync:privileges_revoke_table_trigger to pg
-- requires: table_sync_run_log table_organization_integrations table_integration_health_status table_integration_types
-- 0.3 (issue 21): no API role holds TRIGGER, TRUNCATE or REFERENCES on a package table.
-- Until 0.2 service_role held them on four public tables through GRANT ALL: a trigger whose
-- function lives in the caller's pg_temp fires inside the definer RPCs that write those
-- tables, as the owner. service_role keeps SELECT, INSERT, UPDATE and DELETE (DESIGN §4:
-- the only API role that writes); every other table already grants only what is used.
-- The statement covers every table of both schemas, so a table that gained one of these
-- privileges by any path loses it here too; verify checks all of them for every API role.
BEGIN;
SET LOCAL lock_timeout = '5s';

DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_catalog.pg_class AS c
     WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace)
       AND c.relkind IN ('r', 'p')
       AND c.relname IN ('integration_types', 'organization_integrations', 'sync_run_log',
                         'integration_health_status', 'integration_health_history',
                         'sync_run_log_archive', 'sync_trigger_audit', 'settings',
                         'org_members', 'integration_warmups', 'health_status_counts',
                         'alerts', 'engine_stats')
  LOOP
    EXECUTE pg_catalog.format(
      'REVOKE TRUNCATE, REFERENCES, TRIGGER ON TABLE %s FROM PUBLIC, anon, authenticated, service_role, integration_worker',
      t);
  END LOOP;
END
$$;

COMMIT;
