-- Revert integration-sync:table_alerts_outcome_kinds from pg
-- 0.2 knows neither kind: their alerts (open or resolved) are deleted first.
BEGIN;
SET LOCAL lock_timeout = '5s';
DELETE FROM integration_ops.alerts WHERE kind IN ('retries_exhausted', 'lagging');
ALTER TABLE integration_ops.alerts DROP CONSTRAINT IF EXISTS alerts_kind_check;
ALTER TABLE integration_ops.alerts
  ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('drift', 'worker_lost', 'stale_pending', 'repeated_failures', 'cold_start_failed'));
COMMENT ON COLUMN integration_ops.alerts.kind IS
  'drift: a scheduled run started later than settings.drift_alert; worker_lost: the reaper failed a run whose worker vanished; stale_pending: a pending run older than settings.stale_pending_alert; repeated_failures: the last settings.failure_alert_runs finished runs of the pair failed.';
COMMIT;
