-- Deploy integration-sync:table_sync_run_log_retries to pg
-- requires: table_sync_run_log table_sync_run_log_archive table_sync_run_log_cold_start
-- 0.3 (issue 22, DESIGN §13 "Outcomes, not only runs"): one row per attempt. A run that
-- fails with a transient code and has attempts left gets a next attempt: a new row with
-- attempt = n + 1, retry_of = the failed row, the same idempotency_key, scheduled_for and
-- triggered_by, status pending and not_before = when it may be claimed. A period whose older
-- runs were skipped by the catch-up bound is a row with the new terminal status `skipped`
-- (error_code catch_up_limit). The idempotency key is unique per (key, attempt): the index
-- comes with index_sync_run_log_idempotency_attempt, which replaces the 0.1 UNIQUE (key).
BEGIN;
SET LOCAL lock_timeout = '5s';
-- VALIDATE reads the whole table (it holds SHARE UPDATE EXCLUSIVE: reads and writes go on).
SET LOCAL statement_timeout = '15min';

-- Constant defaults: no table rewrite on Postgres 11+.
ALTER TABLE public.sync_run_log ADD COLUMN IF NOT EXISTS attempt integer NOT NULL DEFAULT 1;
ALTER TABLE public.sync_run_log ADD COLUMN IF NOT EXISTS retry_of uuid;
ALTER TABLE public.sync_run_log ADD COLUMN IF NOT EXISTS not_before timestamptz;
ALTER TABLE integration_ops.sync_run_log_archive ADD COLUMN IF NOT EXISTS attempt integer NOT NULL DEFAULT 1;
ALTER TABLE integration_ops.sync_run_log_archive ADD COLUMN IF NOT EXISTS retry_of uuid;
ALTER TABLE integration_ops.sync_run_log_archive ADD COLUMN IF NOT EXISTS not_before timestamptz;

-- The CHECKs are added NOT VALID here (a brief ACCESS EXCLUSIVE lock, no scan) and validated
-- by constraint_sync_run_log_checks_validate in its own transaction (SHARE UPDATE EXCLUSIVE:
-- reads and writes go on while it scans). Until then they hold for every new or updated row.
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_attempt_check;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_attempt_check CHECK (attempt >= 1) NOT VALID;

-- The new terminal status `skipped`; a skipped row has ended when it is written.
-- Widened (every row allowed before is allowed still), so replaced.
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_status_check;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_status_check
  CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'skipped')) NOT VALID;
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_ended_at_when_finished;
ALTER TABLE public.sync_run_log
  ADD CONSTRAINT sync_run_log_ended_at_when_finished
  CHECK ((status IN ('completed', 'failed', 'cancelled', 'skipped')) = (ended_at IS NOT NULL)) NOT VALID;

COMMENT ON COLUMN public.sync_run_log.attempt IS
  'Attempt number of the run''s period, 1 for the first; a retry is a new row with attempt + 1 (DESIGN §13).';
COMMENT ON COLUMN public.sync_run_log.retry_of IS
  'The failed (or skipped) run this attempt retries; NULL for a first attempt.';
COMMENT ON COLUMN public.sync_run_log.not_before IS
  'A pending retry is not claimed or delivered before this time (backoff or Retry-After); NULL: at once.';
COMMENT ON COLUMN integration_ops.sync_run_log_archive.attempt IS 'public.sync_run_log.attempt of the archived run.';
COMMENT ON COLUMN integration_ops.sync_run_log_archive.retry_of IS 'public.sync_run_log.retry_of of the archived run.';
COMMENT ON COLUMN integration_ops.sync_run_log_archive.not_before IS 'public.sync_run_log.not_before of the archived run.';

COMMIT;
