-- Deploy integration-sync:table_alerts_outcome_kinds to pg
-- requires: table_alerts
-- 0.3 (issue 22, DESIGN §13): alert kinds retries_exhausted (a period's attempts are used up
-- and its last one failed) and lagging (a pair's oldest period without a run is older than
-- settings.lag_alert).
BEGIN;
SET LOCAL lock_timeout = '5s';
-- Widened: every kind allowed before is allowed still.
-- squawk-ignore ban-drop-constraint
ALTER TABLE integration_ops.alerts DROP CONSTRAINT IF EXISTS alerts_kind_check;
-- A small table: validating at once costs nothing.
ALTER TABLE integration_ops.alerts
  -- squawk-ignore constraint-missing-not-valid
  ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('drift', 'worker_lost', 'stale_pending',
    'repeated_failures', 'cold_start_failed', 'retries_exhausted', 'lagging'));
COMMENT ON COLUMN integration_ops.alerts.kind IS
  'drift: a scheduled run started later than settings.drift_alert; worker_lost: the reaper failed a run whose worker vanished; stale_pending: a pending run older than settings.stale_pending_alert; repeated_failures: the last settings.failure_alert_runs finished runs of the pair failed; cold_start_failed: a cold start whose retry failed too; retries_exhausted (0.3): a period''s last attempt failed with a transient code after settings.retry_max_attempts; lagging (0.3): the pair''s oldest period without a run is older than settings.lag_alert.';
COMMIT;
