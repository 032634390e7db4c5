-- Revert integration-sync:index_sync_run_log_net_request from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP INDEX IF EXISTS public.sync_run_log_net_request_idx;
COMMIT;
