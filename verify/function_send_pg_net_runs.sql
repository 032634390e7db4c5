-- Verify integration-sync:function_send_pg_net_runs on pg
BEGIN;
SELECT handled, failed FROM integration_ops.send_pg_net_runs(ARRAY[]::uuid[]);
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.send_pg_net_runs(uuid[])'::regprocedure
   AND prosecdef AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.send_pg_net_runs(uuid[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.send_pg_net_runs(uuid[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.send_pg_net_runs(uuid[])', 'execute')) IS TRUE)::int;
ROLLBACK;
