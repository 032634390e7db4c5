-- Deploy integration-sync:index_integration_health_status_next_check to pg
-- requires: table_integration_health_status
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- integration_health_status_next_check_idx was created by table_integration_health_status
-- (deploy/table_integration_health_status@v0.2.0.sql); this is its released definition, so
-- a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- claim_health_checks: due pairs in next_check_at order.
-- A plain CREATE INDEX (deploy scripts are transactions): table_integration_health_status's
-- released script built the index, so IF NOT EXISTS makes this a no-op wherever this change
-- is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS integration_health_status_next_check_idx
  ON public.integration_health_status (next_check_at)
  WHERE next_check_at IS NOT NULL;
COMMIT;
