-- Verify integration-sync:index_sync_run_log_idempotency_attempt on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.sync_run_log_idempotency_attempt_key'::regclass AND indisunique AND indisvalid;
SELECT 1/(pg_catalog.count(*) = 0)::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'public.sync_run_log'::regclass AND conname = 'sync_run_log_idempotency_key_key';
ROLLBACK;
