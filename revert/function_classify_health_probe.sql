-- Revert integration-sync:function_classify_health_probe from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP FUNCTION IF EXISTS integration_ops.classify_health_probe(integer, integer, integer, boolean, text);
COMMIT;
