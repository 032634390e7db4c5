-- Revert integration-sync:table_settings_security_tunables from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE integration_ops.settings
  DROP COLUMN IF EXISTS gateway_key_secret_name,
  DROP COLUMN IF EXISTS webhook_secret_name,
  DROP COLUMN IF EXISTS allowed_http_hosts;
COMMENT ON COLUMN integration_ops.settings.pg_net_vault_secret IS
  'Name of the Vault secret sent as the Bearer token of pg_net deliveries. Only the deploying role (the table owner) may change it.';
COMMIT;
