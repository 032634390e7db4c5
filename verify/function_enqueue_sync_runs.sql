-- Verify integration-sync:function_enqueue_sync_runs on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])'::regprocedure)
          LIKE '%integration_ops.clock()%')::int;
SELECT 1/(to_regprocedure('integration_ops.sync_pair_lock_key(uuid, text)') IS NOT NULL)::int;
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.enqueue_sync_runs(uuid[], text[], text, uuid, timestamptz[], text[])', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.enqueue_sync_runs(uuid[],text[],text,uuid,timestamp with time zone[],text[])'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.enqueue_sync_runs(uuid[],text[],text,uuid,timestamp with time zone[],text[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.enqueue_sync_runs(uuid[],text[],text,uuid,timestamp with time zone[],text[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('service_role', 'integration_ops.enqueue_sync_runs(uuid[],text[],text,uuid,timestamp with time zone[],text[])', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('integration_worker', 'integration_ops.enqueue_sync_runs(uuid[],text[],text,uuid,timestamp with time zone[],text[])', 'execute')) IS TRUE)::int;
ROLLBACK;
