-- Verify integration-sync:table_settings on pg
BEGIN;
SELECT id, history_cap, history_retention, run_log_retention, stale_run_timeout,
       manual_rate_limit, drift_alert, health_check_timeout, health_backoff_cap,
       job_run_details_retention, pg_net_timeout, pg_net_vault_secret, archive_batch_size
  FROM integration_ops.settings WHERE false;
SELECT 1 / COUNT(*) FROM integration_ops.settings WHERE id;
SELECT 1/(NOT has_table_privilege('authenticated', 'integration_ops.settings', 'select'))::int;
SELECT 1/(NOT has_table_privilege('anon', 'integration_ops.settings', 'select'))::int;
-- UPDATE on the table (0.1) or on its tunable columns (0.2, table_settings_engine_tunables)
SELECT 1/has_any_column_privilege('service_role', 'integration_ops.settings', 'update')::int;
SELECT 1/(NOT has_any_column_privilege('authenticated', 'integration_ops.settings', 'update'))::int;
ROLLBACK;
