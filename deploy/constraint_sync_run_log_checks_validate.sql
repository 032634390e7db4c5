-- Deploy integration-sync:constraint_sync_run_log_checks_validate to pg
-- requires: table_sync_run_log_retries
-- 0.3: validates the CHECKs table_sync_run_log_retries added NOT VALID (attempt >= 1, the
-- status list with `skipped`, ended_at when finished). Its own transaction: VALIDATE takes
-- SHARE UPDATE EXCLUSIVE, so the app's reads and the engine's writes go on while it scans
-- sync_run_log once (about a second per million rows on a small instance).
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15min';
ALTER TABLE public.sync_run_log VALIDATE CONSTRAINT sync_run_log_attempt_check;
ALTER TABLE public.sync_run_log VALIDATE CONSTRAINT sync_run_log_status_check;
ALTER TABLE public.sync_run_log VALIDATE CONSTRAINT sync_run_log_ended_at_when_finished;
COMMIT;
