-- Revert integration-sync:function_hmac_sha256 from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.hmac_sha256(bytea, bytea);
COMMIT;
