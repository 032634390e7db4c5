-- Verify integration-sync:table_settings_security_tunables on pg
BEGIN;
SELECT allowed_http_hosts, webhook_secret_name, gateway_key_secret_name FROM integration_ops.settings WHERE false;
-- only the deploying role changes where requests go and what they carry
SELECT 1/((NOT pg_catalog.has_column_privilege('service_role', 'integration_ops.settings', 'allowed_http_hosts', 'UPDATE')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_column_privilege('service_role', 'integration_ops.settings', 'webhook_secret_name', 'UPDATE')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_column_privilege('service_role', 'integration_ops.settings', 'gateway_key_secret_name', 'UPDATE')) IS TRUE)::int;
ROLLBACK;
