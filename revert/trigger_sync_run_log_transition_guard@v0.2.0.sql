-- Revert integration-sync:trigger_sync_run_log_transition_guard from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS sync_run_log_transition_guard ON public.sync_run_log;
DROP FUNCTION IF EXISTS integration_ops.guard_sync_run_transition();
COMMIT;
