-- Verify integration-sync:trigger_sync_run_log_passive_health on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.sync_run_log'::regclass AND tgname = 'sync_run_log_passive_health'
   AND tgenabled <> 'D';
ROLLBACK;
