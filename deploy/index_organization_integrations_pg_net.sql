-- Deploy integration-sync:index_organization_integrations_pg_net to pg
-- requires: table_organization_integrations
-- The few pairs delivered by pg_net: lets the wake-up skip its pg_net pass in O(1) when no
-- pair of the batch (or none at all) uses pg_net, instead of joining every new run.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX: deploy scripts are transactions (CONCURRENTLY cannot run in one);
-- the partial index is built from one pass over organization_integrations in milliseconds.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS organization_integrations_pg_net_idx
  ON public.organization_integrations (org_id, integration_type)
  WHERE delivery = 'pg_net';
COMMIT;
