-- Verify integration-sync:table_settings_engine_tunables on pg
BEGIN;
SELECT dispatch_batch_size, dispatch_time_budget, stale_pending_alert
  FROM integration_ops.settings WHERE false;
SELECT 1/has_column_privilege('service_role', 'integration_ops.settings', 'dispatch_batch_size', 'UPDATE')::int;
SELECT 1/has_column_privilege('service_role', 'integration_ops.settings', 'stale_run_timeout', 'UPDATE')::int;
SELECT 1/(NOT has_column_privilege('service_role', 'integration_ops.settings', 'pg_net_vault_secret', 'UPDATE'))::int;
SELECT 1/(NOT has_table_privilege('service_role', 'integration_ops.settings', 'UPDATE'))::int;
SELECT 1/has_table_privilege('service_role', 'integration_ops.settings', 'SELECT')::int;
ROLLBACK;
