-- Revert integration-sync:index_sync_run_log_idempotency_attempt from pg
-- 0.2 holds the key unique on its own: retry attempts keep their rows, without the key
-- (their period's first attempt keeps it).
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15min';
UPDATE public.sync_run_log SET idempotency_key = NULL WHERE attempt > 1 AND idempotency_key IS NOT NULL;
UPDATE integration_ops.sync_run_log_archive SET idempotency_key = NULL
 WHERE attempt > 1 AND idempotency_key IS NOT NULL;
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_idempotency_key_key UNIQUE (idempotency_key);
DROP INDEX IF EXISTS public.sync_run_log_idempotency_attempt_key;
COMMIT;
