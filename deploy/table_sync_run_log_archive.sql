-- Deploy integration-sync:table_sync_run_log_archive to pg
-- requires: table_sync_run_log_archive@v0.2.0 index_sync_run_log_archive_pair_started
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index sync_run_log_archive_pair_started_idx -> index_sync_run_log_archive_pair_started
-- The released scripts: deploy/table_sync_run_log_archive@v0.2.0.sql (frozen); a deploy
-- runs them first, so every object named here exists before this rework, which restates
-- only what is this change's own.
-- Finished runs older than settings.run_log_retention, moved out of public.sync_run_log.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists). Changes that
-- altered it since: table_sync_run_log_cold_start, table_sync_run_log_retries (their
-- columns).
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

ALTER TABLE integration_ops.sync_run_log_archive ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.sync_run_log_archive FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.sync_run_log_archive TO service_role;

COMMENT ON TABLE integration_ops.sync_run_log_archive IS
  'Finished sync runs moved out of public.sync_run_log after settings.run_log_retention by archive_sync_run_log(). Readable by service_role only.';

COMMIT;
