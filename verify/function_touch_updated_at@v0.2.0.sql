-- Verify integration-sync:function_touch_updated_at on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.touch_updated_at()'::regprocedure AND prorettype = 'trigger'::regtype;
ROLLBACK;
