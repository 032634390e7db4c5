-- Deploy integration-sync:table_sync_run_log_archive to pg
-- requires: table_sync_run_log
-- Finished runs older than settings.run_log_retention, moved out of public.sync_run_log.
BEGIN;

CREATE TABLE IF NOT EXISTS integration_ops.sync_run_log_archive (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL,
  integration_type text NOT NULL,
  status text NOT NULL,
  triggered_by text NOT NULL,
  triggered_by_user_id uuid,
  created_at timestamptz NOT NULL,
  scheduled_for timestamptz,
  idempotency_key text,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  records_processed integer NOT NULL,
  records_failed integer NOT NULL,
  error_code text,
  error_message text,
  worker_id text,
  heartbeat_at timestamptz,
  duration_seconds numeric,
  drift_seconds numeric,
  net_request_id bigint,
  archived_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sync_run_log_archive_pair_started_idx
  ON integration_ops.sync_run_log_archive (org_id, integration_type, started_at DESC);

ALTER TABLE integration_ops.sync_run_log_archive ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.sync_run_log_archive FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.sync_run_log_archive TO service_role;

COMMENT ON TABLE integration_ops.sync_run_log_archive IS
  'Finished sync runs moved out of public.sync_run_log after settings.run_log_retention by archive_sync_run_log(). Readable by service_role only.';

COMMIT;
