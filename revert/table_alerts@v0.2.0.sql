-- Revert integration-sync:table_alerts from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS integration_ops.alerts;
COMMIT;
