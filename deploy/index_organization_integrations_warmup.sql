-- Deploy integration-sync:index_organization_integrations_warmup to pg
-- requires: table_organization_integrations_warmup_url
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- organization_integrations_warmup_idx was created by
-- table_organization_integrations_warmup_url
-- (deploy/table_organization_integrations_warmup_url@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX: deploy scripts are transactions (CONCURRENTLY cannot run in one);
-- the partial index is built from one pass over organization_integrations (one row per
-- pair, thousands of rows) in milliseconds, and no row has a warmup_url yet.
-- squawk-ignore require-concurrent-index-creation
-- A plain CREATE INDEX (deploy scripts are transactions):
-- table_organization_integrations_warmup_url's released script built the index, so IF NOT
-- EXISTS makes this a no-op wherever this change is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS organization_integrations_warmup_idx
  ON public.organization_integrations (next_sync_at)
  WHERE warmup_url IS NOT NULL;
COMMIT;
