-- Revert integration-sync:privileges_revoke_table_trigger from pg: the 0.2 grants
-- (service_role held TRUNCATE, REFERENCES and TRIGGER on four public tables through GRANT ALL).
BEGIN;
SET LOCAL lock_timeout = '5s';

GRANT TRUNCATE, REFERENCES, TRIGGER
  ON TABLE public.integration_types, public.organization_integrations, public.sync_run_log,
           public.integration_health_status
  TO service_role;

COMMIT;
