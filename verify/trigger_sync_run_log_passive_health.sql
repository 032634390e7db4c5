-- Verify integration-sync:trigger_sync_run_log_passive_health on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.sync_run_log'::regclass AND tgname = 'sync_run_log_passive_health'
   AND tgenabled <> 'D';
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.sync_run_outcome_to_health()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
ROLLBACK;
