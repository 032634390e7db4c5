-- Revert integration-sync:table_integration_warmups from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS integration_ops.integration_warmups;
COMMIT;
