-- Deploy integration-sync:table_alerts to pg
-- requires: schema_integration_ops table_integration_types
-- Alerts as rows (issue 17, DESIGN §12 "Worker and operations"): written only by
-- integration_ops.refresh_alerts() (a pg_cron job, every minute), read through
-- public.get_engine_status(). At most one open alert per (kind, org, type); a resolved
-- alert keeps its row for settings.alert_retention.
BEGIN;
SET LOCAL lock_timeout = '5s';

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

-- One open alert per (kind, org, type): the ON CONFLICT target of refresh_alerts().
CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open_per_pair
  ON integration_ops.alerts (kind, org_id, integration_type) WHERE resolved_at IS NULL;
-- Retention: resolved alerts by resolution time.
CREATE INDEX IF NOT EXISTS alerts_resolved_idx
  ON integration_ops.alerts (resolved_at) WHERE resolved_at IS NOT NULL;
-- get_engine_status(): the newest open alerts (LIMIT), and the open repeated_failures
-- alerts with the most consecutive failures first (its `failing` list), without a sort of
-- every open alert when an incident opens thousands.
CREATE INDEX IF NOT EXISTS alerts_open_recent_idx
  ON integration_ops.alerts (first_seen DESC, id DESC) WHERE resolved_at IS NULL;
CREATE INDEX IF NOT EXISTS alerts_open_failures_idx
  ON integration_ops.alerts (((detail ->> 'consecutive_failures')::integer) DESC, org_id, integration_type)
  WHERE kind = 'repeated_failures' AND resolved_at IS NULL;
-- Forwarding: alerts nobody has sent on yet.
CREATE INDEX IF NOT EXISTS alerts_unnotified_idx
  ON integration_ops.alerts (first_seen) WHERE notified_at IS NULL;

ALTER TABLE integration_ops.alerts ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.alerts FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.alerts TO service_role;
GRANT UPDATE (notified_at) ON TABLE integration_ops.alerts TO service_role;
DROP POLICY IF EXISTS alerts_service_role ON integration_ops.alerts;
CREATE POLICY alerts_service_role ON integration_ops.alerts
  FOR ALL TO service_role USING (true) WITH CHECK (true);

COMMENT ON TABLE integration_ops.alerts IS
  'Engine alerts (drift, worker_lost, stale_pending, repeated_failures, cold_start_failed), open (resolved_at NULL, at most one per kind and pair) and resolved; written by integration_ops.refresh_alerts(), read through public.get_engine_status(); resolved rows kept settings.alert_retention.';
COMMENT ON COLUMN integration_ops.alerts.kind IS
  'drift: a scheduled run started later than settings.drift_alert; worker_lost: the reaper failed a run whose worker vanished; stale_pending: a pending run older than settings.stale_pending_alert; repeated_failures: the last settings.failure_alert_runs finished runs of the pair failed.';
COMMENT ON COLUMN integration_ops.alerts.run_id IS 'The run that raised (or last refreshed) the alert.';
COMMENT ON COLUMN integration_ops.alerts.detail IS 'Kind-specific facts (drift_seconds, waiting_seconds, worker_id, consecutive_failures, last_error_code, …).';
COMMENT ON COLUMN integration_ops.alerts.first_seen IS 'When the condition was first seen.';
COMMENT ON COLUMN integration_ops.alerts.last_seen IS 'When the condition was last seen (refreshed every minute while it holds).';
COMMENT ON COLUMN integration_ops.alerts.resolved_at IS 'When the condition cleared; NULL while the alert is open.';
COMMENT ON COLUMN integration_ops.alerts.notified_at IS 'Set by whoever forwards alerts (docs/operations.md: the pg_net webhook job); the package never reads it.';

COMMIT;
