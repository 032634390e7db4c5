-- Revert integration-sync:function_touch_updated_at from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.touch_updated_at();
COMMIT;
