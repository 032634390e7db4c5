-- Revert integration-sync:procedure_pump_pg_net_runs from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP PROCEDURE IF EXISTS integration_ops.pump_pg_net_runs();
COMMIT;
