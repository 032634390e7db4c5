-- Verify integration-sync:trigger_sync_run_log_transition_guard on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.sync_run_log'::regclass AND tgname = 'sync_run_log_transition_guard'
   AND tgenabled <> 'D';
SELECT 1/(NOT has_function_privilege('service_role', 'integration_ops.guard_sync_run_transition()', 'execute'))::int;
ROLLBACK;
