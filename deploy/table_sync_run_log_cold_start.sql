-- Deploy integration-sync:table_sync_run_log_cold_start to pg
-- requires: table_sync_run_log table_sync_run_log_archive
-- 0.2 cold starts (DESIGN §12): a run whose scheduled call failed with timeout or
-- connection_error on an endpoint idle longer than settings.cold_start_idle is marked
-- cold_start (integration_ops.mark_cold_start) and retried once by the worker. The archive
-- keeps the flag (archive_sync_run_log carries it since function_archive_sync_run_log_cold_start).
BEGIN;
SET LOCAL lock_timeout = '5s';

-- A constant default: no table rewrite on Postgres 11+.
ALTER TABLE public.sync_run_log ADD COLUMN IF NOT EXISTS cold_start boolean NOT NULL DEFAULT false;
ALTER TABLE integration_ops.sync_run_log_archive
  ADD COLUMN IF NOT EXISTS cold_start boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN public.sync_run_log.cold_start IS
  'True when the scheduled call failed with timeout/connection_error on an endpoint idle longer than settings.cold_start_idle (a cold start): the worker warmed it and retried once with the same Idempotency-Key. The run''s status is the retry''s outcome.';
COMMENT ON COLUMN integration_ops.sync_run_log_archive.cold_start IS
  'public.sync_run_log.cold_start of the archived run.';

COMMIT;
