-- Revert integration-sync:table_sync_run_log from pg
BEGIN;
DROP TABLE IF EXISTS public.sync_run_log;
COMMIT;
