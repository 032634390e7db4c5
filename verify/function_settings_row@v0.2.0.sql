-- Verify integration-sync:function_settings_row on pg
BEGIN;
SELECT 1/(integration_ops.settings_row()).id::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.settings_row()', 'execute'))::int;
SELECT 1/(NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.settings_row()', 'execute'))::int;
ROLLBACK;
