-- Verify integration-sync:function_classify_sync_response on pg
BEGIN;
SELECT 1/((integration_ops.classify_sync_response(200, '{"records_processed": 5.0}')).records_processed = 5)::int;
SELECT 1/((integration_ops.classify_sync_response(200, '[]')).error_code = 'invalid_response')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.classify_sync_response(integer, text, text)', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.classify_sync_response(integer,text,text)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.classify_sync_response(integer,text,text)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.classify_sync_response(integer,text,text)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.classify_sync_response(integer,text,text)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.classify_sync_response(integer,text,text)', 'execute') IS TRUE)::int;
ROLLBACK;
