-- Verify integration-sync:function_trigger_integration_sync_as_service_role on pg
-- Raises whatever the settings: each check is SELECT 1/(condition)::int.
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.trigger_integration_sync_as_service_role(uuid,text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'] AND prosecdef;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.trigger_integration_sync_as_service_role(uuid,text)', 'execute') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.trigger_integration_sync_as_service_role(uuid,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.trigger_integration_sync_as_service_role(uuid,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.trigger_integration_sync_as_service_role(uuid,text)', 'execute')) IS TRUE)::int;
ROLLBACK;
