-- Revert integration-sync:function_record_pg_net_health_checks from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.record_pg_net_health_checks(integer);
COMMIT;
