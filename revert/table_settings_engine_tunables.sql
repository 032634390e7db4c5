-- Revert integration-sync:table_settings_engine_tunables from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
REVOKE UPDATE (history_cap, history_retention, run_log_retention, stale_run_timeout,
               manual_rate_limit, drift_alert, health_check_timeout, health_backoff_cap,
               job_run_details_retention, pg_net_timeout, archive_batch_size, updated_at)
  ON TABLE integration_ops.settings FROM service_role;
ALTER TABLE integration_ops.settings
  DROP COLUMN IF EXISTS dispatch_batch_size,
  DROP COLUMN IF EXISTS dispatch_time_budget,
  DROP COLUMN IF EXISTS stale_pending_alert;
GRANT UPDATE ON TABLE integration_ops.settings TO service_role;
COMMENT ON COLUMN integration_ops.settings.pg_net_vault_secret IS NULL;
COMMIT;
