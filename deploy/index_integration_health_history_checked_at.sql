-- Deploy integration-sync:index_integration_health_history_checked_at to pg
-- requires: table_integration_health_history
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- integration_health_history_checked_at_idx was created by table_integration_health_history
-- (deploy/table_integration_health_history@v0.2.0.sql); this is its released definition, so
-- a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- Retention: the batched cleanup finds rows older than the cutoff without a full scan.
-- A plain CREATE INDEX (deploy scripts are transactions):
-- table_integration_health_history's released script built the index, so IF NOT EXISTS
-- makes this a no-op wherever this change is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS integration_health_history_checked_at_idx
  ON public.integration_health_history (checked_at);
COMMIT;
