-- Revert integration-sync:trigger_sync_run_log_passive_health from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS sync_run_log_passive_health ON public.sync_run_log;
DROP FUNCTION IF EXISTS integration_ops.sync_run_outcome_to_health();
COMMIT;
