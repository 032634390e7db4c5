-- Revert integration-sync:function_get_worker_settings from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.get_worker_settings();
COMMIT;
