-- Deploy integration-sync:index_alerts_unnotified to pg
-- requires: table_alerts
-- 0.3 (issue 25): one object, one change. Until 0.2 the index alerts_unnotified_idx was
-- created by table_alerts (deploy/table_alerts@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- Forwarding: alerts nobody has sent on yet.
-- A plain CREATE INDEX (deploy scripts are transactions): table_alerts's released script
-- built the index, so IF NOT EXISTS makes this a no-op wherever this change is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS alerts_unnotified_idx
  ON integration_ops.alerts (first_seen) WHERE notified_at IS NULL;
COMMIT;
