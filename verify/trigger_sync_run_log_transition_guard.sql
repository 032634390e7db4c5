-- Verify integration-sync:trigger_sync_run_log_transition_guard on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.sync_run_log'::regclass AND tgname = 'sync_run_log_transition_guard'
   AND tgenabled <> 'D';
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.guard_sync_run_transition()', 'execute'))::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.guard_sync_run_transition()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
ROLLBACK;
