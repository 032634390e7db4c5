-- Verify integration-sync:table_settings_alert_tunables on pg
BEGIN;
SELECT 1/COUNT(*) FROM integration_ops.settings
 WHERE failure_alert_runs >= 1 AND alert_retention > interval '0' AND engine_stats_max_age > interval '0';
SELECT 1/has_column_privilege('service_role', 'integration_ops.settings', 'failure_alert_runs', 'UPDATE')::int;
SELECT 1/has_column_privilege('service_role', 'integration_ops.settings', 'engine_stats_max_age', 'UPDATE')::int;
SELECT 1/(NOT has_column_privilege('authenticated', 'integration_ops.settings', 'failure_alert_runs', 'SELECT'))::int;
ROLLBACK;
