-- Verify integration-sync:function_claim_sync_runs on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_functiondef('integration_ops.claim_sync_runs(text, integer)'::regprocedure) LIKE '%integration_ops.clock()%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.claim_sync_runs(text, integer)', 'execute')::int;
SELECT 1/has_function_privilege('service_role', 'integration_ops.claim_sync_runs(text, integer)', 'execute')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.claim_sync_runs(text, integer)', 'execute'))::int;
SELECT 1/(NOT has_function_privilege('anon', 'integration_ops.claim_sync_runs(text, integer)', 'execute'))::int;
-- 0.3: search_path pinned, privileges
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.claim_sync_runs(text,integer)'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp', 'jit=off'];
SELECT 1/((NOT pg_catalog.has_function_privilege('anon', 'integration_ops.claim_sync_runs(text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_function_privilege('authenticated', 'integration_ops.claim_sync_runs(text,integer)', 'execute')) IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('service_role', 'integration_ops.claim_sync_runs(text,integer)', 'execute') IS TRUE)::int;
SELECT 1/(pg_catalog.has_function_privilege('integration_worker', 'integration_ops.claim_sync_runs(text,integer)', 'execute') IS TRUE)::int;
ROLLBACK;
