-- Verify integration-sync:procedure_pump_pg_net_runs on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.pump_pg_net_runs()'::regprocedure AND prokind = 'p' AND NOT prosecdef;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.pump_pg_net_runs()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.pump_pg_net_runs()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.pump_pg_net_runs()', 'execute')) IS TRUE)::int;
ROLLBACK;
