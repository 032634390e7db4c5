-- Deploy integration-sync:index_alerts_open_failures to pg
-- requires: table_alerts
-- 0.3 (issue 25): one object, one change. Until 0.2 the index alerts_open_failures_idx was
-- created by table_alerts (deploy/table_alerts@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX (deploy scripts are transactions): table_alerts's released script
-- built the index, so IF NOT EXISTS makes this a no-op wherever this change is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS alerts_open_failures_idx
  ON integration_ops.alerts (((detail ->> 'consecutive_failures')::integer) DESC, org_id, integration_type)
  WHERE kind = 'repeated_failures' AND resolved_at IS NULL;
COMMIT;
