-- Verify integration-sync:function_send_pg_net_health_checks on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.send_pg_net_health_checks(integer)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp', 'jit=off'] AND NOT prosecdef;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.send_pg_net_health_checks(integer)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.send_pg_net_health_checks(integer)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.send_pg_net_health_checks(integer)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.send_pg_net_health_checks(integer)', 'execute')) IS TRUE)::int;
-- The 0.3 body: pg_net pairs only, net.http_get looked up at run time.
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.send_pg_net_health_checks(integer)'::regprocedure)
  LIKE '%to_regprocedure(''net.http_get(text,jsonb,jsonb,integer)'')%')::int;
ROLLBACK;
