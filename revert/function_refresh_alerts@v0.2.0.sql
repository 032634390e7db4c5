-- Revert integration-sync:function_refresh_alerts from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.refresh_alerts();
COMMIT;
