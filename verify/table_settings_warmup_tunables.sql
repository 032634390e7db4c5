-- Verify integration-sync:table_settings_warmup_tunables on pg
BEGIN;
SELECT 1/COUNT(*) FROM integration_ops.settings
 WHERE warmup_lead > interval '0' AND cold_start_idle > interval '0';
SELECT 1/has_column_privilege('service_role', 'integration_ops.settings', 'warmup_lead', 'UPDATE')::int;
SELECT 1/has_column_privilege('service_role', 'integration_ops.settings', 'cold_start_idle', 'UPDATE')::int;
SELECT 1/(NOT has_column_privilege('integration_worker', 'integration_ops.settings', 'warmup_lead', 'UPDATE'))::int;
SELECT 1/(NOT has_column_privilege('authenticated', 'integration_ops.settings', 'cold_start_idle', 'SELECT'))::int;
ROLLBACK;
