-- Deploy integration-sync:index_organization_integrations_due to pg
-- requires: table_organization_integrations
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- organization_integrations_due_idx was created by table_organization_integrations
-- (deploy/table_organization_integrations@v0.2.0.sql); this is its released definition, so
-- a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- The dispatcher's scan: due, enabled, scheduled pairs.
-- A plain CREATE INDEX (deploy scripts are transactions): table_organization_integrations's
-- released script built the index, so IF NOT EXISTS makes this a no-op wherever this change
-- is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS organization_integrations_due_idx
  ON public.organization_integrations (next_sync_at)
  WHERE enabled AND sync_interval IS NOT NULL;
COMMIT;
