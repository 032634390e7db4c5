-- Deploy integration-sync:index_sync_run_log_idempotency_attempt to pg
-- requires: table_sync_run_log_retries
-- 0.3 (DESIGN §13): every attempt of a period shares its idempotency key, so the key is
-- unique per (idempotency_key, attempt). This index replaces the 0.1 constraint
-- UNIQUE (idempotency_key); the dispatcher's INSERT … ON CONFLICT DO NOTHING of a first
-- attempt still finds the period's existing run through it, and a lookup by key alone uses
-- its leading column.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- Built over the whole table inside the deploy transaction (CONCURRENTLY cannot run in
-- one, and the bundle applies every change in one transaction): writes to sync_run_log wait
-- while it builds, about a second per million rows on a small instance (CHANGELOG, DBAs).
SET LOCAL statement_timeout = '15min';
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX IF NOT EXISTS sync_run_log_idempotency_attempt_key
  ON public.sync_run_log (idempotency_key, attempt);
-- The unique index above takes its place (a key may now repeat, once per attempt).
-- squawk-ignore ban-drop-constraint
ALTER TABLE public.sync_run_log DROP CONSTRAINT IF EXISTS sync_run_log_idempotency_key_key;
COMMENT ON INDEX public.sync_run_log_idempotency_attempt_key IS
  'One run per (idempotency key, attempt): one first attempt per scheduled period, each retry one more.';
COMMIT;
