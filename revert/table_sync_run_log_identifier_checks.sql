-- Revert integration-sync:table_sync_run_log_identifier_checks from pg
-- Drops the checks; values cleared by the deploy stay cleared.
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_error_code_format;
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_worker_id_format;

COMMIT;
