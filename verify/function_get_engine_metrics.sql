-- Verify integration-sync:function_get_engine_metrics on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.get_engine_metrics()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp']
   AND prosecdef;
SELECT 1/((integration_ops.get_engine_metrics() ?& ARRAY['queue', 'runs_24h', 'drift_24h', 'open_alerts', 'as_of', 'snapshot_at']) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.get_engine_metrics()', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.get_engine_metrics()', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.get_engine_metrics()', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.get_engine_metrics()', 'execute')) IS TRUE)::int;
ROLLBACK;
