-- Deploy integration-sync:table_alerts to pg
-- requires: table_alerts@v0.2.0 index_alerts_one_open_per_pair index_alerts_resolved index_alerts_open_recent index_alerts_open_failures index_alerts_unnotified
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index alerts_one_open_per_pair -> index_alerts_one_open_per_pair
--   index alerts_resolved_idx -> index_alerts_resolved
--   index alerts_open_recent_idx -> index_alerts_open_recent
--   index alerts_open_failures_idx -> index_alerts_open_failures
--   index alerts_unnotified_idx -> index_alerts_unnotified
-- The released scripts: deploy/table_alerts@v0.2.0.sql (frozen); a deploy runs them first,
-- so every object named here exists before this rework, which restates only what is this
-- change's own.
-- Alerts as rows (issue 17, DESIGN §12 "Worker and operations"): written only by
-- integration_ops.refresh_alerts() (a pg_cron job, every minute), read through
-- public.get_engine_status(). At most one open alert per (kind, org, type); a resolved
-- alert keeps its row for settings.alert_retention.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists). Changes that
-- altered it since: table_alerts_outcome_kinds (the kinds: alerts_kind_check and the
-- comment on kind).
CREATE TABLE IF NOT EXISTS integration_ops.alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL
    CONSTRAINT alerts_kind_check CHECK (kind IN ('drift', 'worker_lost', 'stale_pending', 'repeated_failures', 'cold_start_failed')),
  org_id uuid NOT NULL,
  integration_type text NOT NULL REFERENCES public.integration_types (integration_type),
  run_id uuid,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  notified_at timestamptz,
  CONSTRAINT alerts_seen_order CHECK (last_seen >= first_seen)
);

ALTER TABLE integration_ops.alerts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.alerts FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.alerts TO service_role;
GRANT UPDATE (notified_at) ON TABLE integration_ops.alerts TO service_role;
DROP POLICY IF EXISTS alerts_service_role ON integration_ops.alerts;
CREATE POLICY alerts_service_role ON integration_ops.alerts
  FOR ALL TO service_role USING (true) WITH CHECK (true);

COMMENT ON TABLE integration_ops.alerts IS
  'Engine alerts (drift, worker_lost, stale_pending, repeated_failures, cold_start_failed), open (resolved_at NULL, at most one per kind and pair) and resolved; written by integration_ops.refresh_alerts(), read through public.get_engine_status(); resolved rows kept settings.alert_retention.';
-- The comment on kind: table_alerts_outcome_kinds (0.3).
COMMENT ON COLUMN integration_ops.alerts.run_id IS 'The run that raised (or last refreshed) the alert.';
COMMENT ON COLUMN integration_ops.alerts.detail IS 'Kind-specific facts (drift_seconds, waiting_seconds, worker_id, consecutive_failures, last_error_code, …).';
COMMENT ON COLUMN integration_ops.alerts.first_seen IS 'When the condition was first seen.';
COMMENT ON COLUMN integration_ops.alerts.last_seen IS 'When the condition was last seen (refreshed every minute while it holds).';
COMMENT ON COLUMN integration_ops.alerts.resolved_at IS 'When the condition cleared; NULL while the alert is open.';
COMMENT ON COLUMN integration_ops.alerts.notified_at IS 'Set by whoever forwards alerts (docs/operations.md: the pg_net webhook job); the package never reads it.';

COMMIT;
