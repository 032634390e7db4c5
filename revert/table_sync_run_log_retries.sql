-- Revert integration-sync:table_sync_run_log_retries from pg
-- 0.2 has no status `skipped`: those rows (placeholders of periods the catch-up bound
-- skipped; they carry no export) are deleted, their number raised as a NOTICE. Retry
-- attempts stay as plain runs (index_sync_run_log_idempotency_attempt's revert already
-- cleared their idempotency key, which 0.2 holds unique).
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15min';

DO $$
DECLARE
  v_skipped integer;
BEGIN
  DELETE FROM public.sync_run_log WHERE status = 'skipped';
  GET DIAGNOSTICS v_skipped = ROW_COUNT;
  DELETE FROM integration_ops.sync_run_log_archive WHERE status = 'skipped';
  IF v_skipped > 0 THEN
    RAISE NOTICE 'revert to 0.2: removed % skipped run(s) of sync_run_log', v_skipped;
  END IF;
END
$$;

ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_ended_at_when_finished;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_ended_at_when_finished
  CHECK ((status IN ('completed', 'failed', 'cancelled')) = (ended_at IS NOT NULL));
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_status_check;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_status_check
  CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled'));
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_attempt_check;

ALTER TABLE integration_ops.sync_run_log_archive DROP COLUMN IF EXISTS not_before;
ALTER TABLE integration_ops.sync_run_log_archive DROP COLUMN IF EXISTS retry_of;
ALTER TABLE integration_ops.sync_run_log_archive DROP COLUMN IF EXISTS attempt;
ALTER TABLE public.sync_run_log DROP COLUMN IF EXISTS not_before;
ALTER TABLE public.sync_run_log DROP COLUMN IF EXISTS retry_of;
ALTER TABLE public.sync_run_log DROP COLUMN IF EXISTS attempt;

COMMIT;
