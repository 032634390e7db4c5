-- Revert integration-sync:function_vault_secret from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.vault_secret(text);
COMMIT;
