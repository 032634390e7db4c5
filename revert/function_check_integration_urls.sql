-- Revert integration-sync:function_check_integration_urls from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.check_integration_urls();
COMMIT;
