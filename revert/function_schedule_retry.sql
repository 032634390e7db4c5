-- Revert integration-sync:function_schedule_retry from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.schedule_retry(uuid, text);
COMMIT;
