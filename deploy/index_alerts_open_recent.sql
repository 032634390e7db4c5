-- Deploy integration-sync:index_alerts_open_recent to pg
-- requires: table_alerts
-- 0.3 (issue 25): one object, one change. Until 0.2 the index alerts_open_recent_idx was
-- created by table_alerts (deploy/table_alerts@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- get_engine_status(): the newest open alerts (LIMIT), and the open repeated_failures
-- alerts with the most consecutive failures first (its `failing` list), without a sort of
-- every open alert when an incident opens thousands.
-- A plain CREATE INDEX (deploy scripts are transactions): table_alerts's released script
-- built the index, so IF NOT EXISTS makes this a no-op wherever this change is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS alerts_open_recent_idx
  ON integration_ops.alerts (first_seen DESC, id DESC) WHERE resolved_at IS NULL;
COMMIT;
