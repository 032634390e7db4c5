-- Verify integration-sync:function_archive_sync_run_log_cold_start on pg
BEGIN;
SELECT 1/(pg_get_functiondef('integration_ops.archive_sync_run_log()'::regprocedure) LIKE '%b.cold_start%')::int;
SELECT 1/has_function_privilege('integration_worker', 'integration_ops.archive_sync_run_log()', 'EXECUTE')::int;
SELECT 1/(NOT has_function_privilege('authenticated', 'integration_ops.archive_sync_run_log()', 'EXECUTE'))::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.archive_sync_run_log()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
ROLLBACK;
