-- Revert integration-sync:function_refresh_engine_stats from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.refresh_engine_stats();
DROP FUNCTION IF EXISTS integration_ops.compute_engine_stats(timestamptz);
COMMIT;
