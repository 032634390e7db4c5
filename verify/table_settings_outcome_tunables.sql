-- Verify integration-sync:table_settings_outcome_tunables on pg
BEGIN;
SELECT retry_max_attempts, retry_base_delay, retry_max_delay, retry_after_cap,
       max_catch_up_periods, lag_alert
  FROM integration_ops.settings WHERE false;
SELECT 1/(pg_catalog.pg_get_constraintdef(oid) LIKE '%1000%')::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'integration_ops.settings'::regclass AND conname = 'settings_dispatch_batch_size_range';
SELECT 1/(pg_catalog.has_column_privilege('service_role', 'integration_ops.settings', 'retry_max_attempts', 'UPDATE') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_column_privilege('authenticated', 'integration_ops.settings', 'retry_max_attempts', 'SELECT')) IS TRUE)::int;
ROLLBACK;
