-- Revert integration-sync:function_get_engine_metrics from pg
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP FUNCTION IF EXISTS integration_ops.get_engine_metrics();

COMMIT;
