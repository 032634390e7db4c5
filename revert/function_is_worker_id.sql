-- Revert integration-sync:function_is_worker_id from pg
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP FUNCTION IF EXISTS integration_ops.is_worker_id(text);

COMMIT;
