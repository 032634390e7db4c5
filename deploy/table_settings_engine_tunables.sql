-- Deploy integration-sync:table_settings_engine_tunables to pg
-- requires: table_settings
-- 0.2 tunables of the engine, and pg_net_vault_secret reserved to the deploying role:
-- whoever may change it can make Postgres send any Vault secret to any endpoint.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.settings
  ADD COLUMN IF NOT EXISTS dispatch_batch_size integer NOT NULL DEFAULT 500
    CONSTRAINT settings_dispatch_batch_size_range CHECK (dispatch_batch_size BETWEEN 1 AND 5000),
  ADD COLUMN IF NOT EXISTS dispatch_time_budget interval NOT NULL DEFAULT '50 seconds'
    CONSTRAINT settings_dispatch_time_budget_range
      CHECK (dispatch_time_budget > interval '0' AND dispatch_time_budget <= interval '10 minutes'),
  ADD COLUMN IF NOT EXISTS stale_pending_alert interval NOT NULL DEFAULT '15 minutes'
    CONSTRAINT settings_stale_pending_alert_positive CHECK (stale_pending_alert > interval '0');

COMMENT ON COLUMN integration_ops.settings.dispatch_batch_size IS
  'Due pairs one dispatch_due_syncs() call handles at most (its row and advisory locks are bounded by this).';
COMMENT ON COLUMN integration_ops.settings.dispatch_time_budget IS
  'How long the pg_cron dispatch procedure keeps taking batches (committing between them) before it leaves the rest to the next tick.';
COMMENT ON COLUMN integration_ops.settings.stale_pending_alert IS
  'A pending run older than this is reported (WARNING from the reaper, integration_ops.get_stale_pending_sync_runs()).';
COMMENT ON COLUMN integration_ops.settings.pg_net_vault_secret IS
  'Name of the Vault secret sent as the Bearer token of pg_net deliveries. Only the deploying role (the table owner) may change it.';

-- service_role keeps UPDATE on every tunable except pg_net_vault_secret (and id).
REVOKE UPDATE ON TABLE integration_ops.settings FROM service_role;
GRANT UPDATE (history_cap, history_retention, run_log_retention, stale_run_timeout,
              manual_rate_limit, drift_alert, health_check_timeout, health_backoff_cap,
              job_run_details_retention, pg_net_timeout, archive_batch_size, updated_at,
              dispatch_batch_size, dispatch_time_budget, stale_pending_alert)
  ON TABLE integration_ops.settings TO service_role;

COMMIT;
