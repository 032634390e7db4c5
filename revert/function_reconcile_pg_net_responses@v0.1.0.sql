-- Revert integration-sync:function_reconcile_pg_net_responses from pg
BEGIN;
DROP FUNCTION IF EXISTS integration_ops.reconcile_pg_net_responses();
COMMIT;
