-- Revert integration-sync:function_record_health_check from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.record_health_check(uuid, text, text, integer, text);
DROP FUNCTION IF EXISTS integration_ops.health_backoff(interval, integer, interval);
COMMIT;
