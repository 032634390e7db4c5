-- Revert integration-sync:table_engine_stats from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS integration_ops.engine_stats;
COMMIT;
