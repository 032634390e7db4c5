-- Deploy integration-sync:table_settings_alert_tunables to pg
-- requires: table_settings table_settings_engine_tunables
-- Tunables of the alerts (issue 17): how many finished runs in a row must fail before a
-- pair gets a repeated_failures alert, and how long resolved alerts are kept.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.settings
  ADD COLUMN IF NOT EXISTS failure_alert_runs integer NOT NULL DEFAULT 3
    CONSTRAINT settings_failure_alert_runs_range CHECK (failure_alert_runs BETWEEN 1 AND 100),
  ADD COLUMN IF NOT EXISTS alert_retention interval NOT NULL DEFAULT '30 days'
    CONSTRAINT settings_alert_retention_positive CHECK (alert_retention > interval '0');

COMMENT ON COLUMN integration_ops.settings.failure_alert_runs IS
  'A pair whose last failure_alert_runs finished runs (completed or failed) all failed gets a repeated_failures alert.';
COMMENT ON COLUMN integration_ops.settings.alert_retention IS
  'Resolved rows of integration_ops.alerts older than this are deleted by integration_ops.refresh_alerts().';

GRANT UPDATE (failure_alert_runs, alert_retention) ON TABLE integration_ops.settings TO service_role;

COMMIT;
