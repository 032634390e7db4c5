-- Deploy integration-sync:table_settings_alert_tunables to pg
-- requires: table_settings table_settings_engine_tunables
-- Tunables of the alerts and the engine status (issue 17): how many finished runs in a row
-- must fail before a pair gets a repeated_failures alert, how long resolved alerts are
-- kept, and how old the every-minute snapshot of the last 24 hours may be before
-- public.get_engine_status() computes those figures itself.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.settings
  ADD COLUMN IF NOT EXISTS failure_alert_runs integer NOT NULL DEFAULT 3
    CONSTRAINT settings_failure_alert_runs_range CHECK (failure_alert_runs BETWEEN 1 AND 100),
  ADD COLUMN IF NOT EXISTS alert_retention interval NOT NULL DEFAULT '30 days'
    CONSTRAINT settings_alert_retention_positive CHECK (alert_retention > interval '0'),
  ADD COLUMN IF NOT EXISTS engine_stats_max_age interval NOT NULL DEFAULT '2 minutes'
    CONSTRAINT settings_engine_stats_max_age_positive CHECK (engine_stats_max_age > interval '0');

COMMENT ON COLUMN integration_ops.settings.failure_alert_runs IS
  'A pair whose last failure_alert_runs finished runs (completed or failed) all failed gets a repeated_failures alert.';
COMMENT ON COLUMN integration_ops.settings.alert_retention IS
  'Resolved rows of integration_ops.alerts older than this are deleted by integration_ops.refresh_alerts().';

COMMENT ON COLUMN integration_ops.settings.engine_stats_max_age IS
  'public.get_engine_status() reads runs_24h, drift_24h and the workers of the last hour from integration_ops.engine_stats (refreshed every minute by pg_cron) while the snapshot is at most this old; an older or missing snapshot is computed live (slower).';

GRANT UPDATE (failure_alert_runs, alert_retention, engine_stats_max_age) ON TABLE integration_ops.settings TO service_role;

COMMIT;
