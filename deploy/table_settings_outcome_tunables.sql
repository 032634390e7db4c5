-- Deploy integration-sync:table_settings_outcome_tunables to pg
-- requires: table_settings table_settings_engine_tunables
-- 0.3 (issue 22, DESIGN §13 "Outcomes, not only runs"): the tunables of retries, catch-up
-- and lag, and the tighter bound on dispatch_batch_size (5000 brought back "out of shared
-- memory" at 20 connections: every row of a batch holds a pair lock until its commit).
BEGIN;
SET LOCAL lock_timeout = '5s';

ALTER TABLE integration_ops.settings
  ADD COLUMN IF NOT EXISTS retry_max_attempts integer NOT NULL DEFAULT 5
    CONSTRAINT settings_retry_max_attempts_range CHECK (retry_max_attempts BETWEEN 1 AND 25),
  ADD COLUMN IF NOT EXISTS retry_base_delay interval NOT NULL DEFAULT '30 seconds'
    CONSTRAINT settings_retry_base_delay_positive CHECK (retry_base_delay > interval '0'),
  ADD COLUMN IF NOT EXISTS retry_max_delay interval NOT NULL DEFAULT '30 minutes'
    CONSTRAINT settings_retry_max_delay_range CHECK (retry_max_delay >= retry_base_delay),
  ADD COLUMN IF NOT EXISTS retry_after_cap interval NOT NULL DEFAULT '6 hours'
    CONSTRAINT settings_retry_after_cap_positive CHECK (retry_after_cap > interval '0'),
  ADD COLUMN IF NOT EXISTS max_catch_up_periods integer
    CONSTRAINT settings_max_catch_up_periods_positive CHECK (max_catch_up_periods >= 1),
  ADD COLUMN IF NOT EXISTS lag_alert interval NOT NULL DEFAULT '1 hour'
    CONSTRAINT settings_lag_alert_positive CHECK (lag_alert > interval '0');

-- dispatch_batch_size <= 1000 (it was <= 5000): a larger setting is lowered to 1000 first.
UPDATE integration_ops.settings SET dispatch_batch_size = 1000 WHERE dispatch_batch_size > 1000;
-- squawk-ignore ban-drop-constraint
ALTER TABLE integration_ops.settings DROP CONSTRAINT IF EXISTS settings_dispatch_batch_size_range;
-- One row: validating at once costs nothing.
ALTER TABLE integration_ops.settings
  -- squawk-ignore constraint-missing-not-valid
  ADD CONSTRAINT settings_dispatch_batch_size_range CHECK (dispatch_batch_size BETWEEN 1 AND 1000);

COMMENT ON COLUMN integration_ops.settings.retry_max_attempts IS
  'Attempts of one period at most, the first included: a run failing with a transient code (timeout, connection_error, worker_lost, http_408/425/429/500/502/503/504) gets a next attempt while its attempt number is below this.';
COMMENT ON COLUMN integration_ops.settings.retry_base_delay IS
  'Full-jitter exponential backoff: attempt n + 1 waits a random time in [0, min(retry_max_delay, retry_base_delay * 2^(n-1))], unless the answer carried Retry-After.';
COMMENT ON COLUMN integration_ops.settings.retry_max_delay IS 'The longest backoff between two attempts (Retry-After aside).';
COMMENT ON COLUMN integration_ops.settings.retry_after_cap IS
  'A Retry-After answer (seconds or HTTP-date) is honoured up to this long.';
COMMENT ON COLUMN integration_ops.settings.max_catch_up_periods IS
  'NULL: every missed period is replayed, oldest first. N: at most the newest N missed periods of a pair are run; older ones become skipped rows (error_code catch_up_limit), visible and re-runnable with retry_sync_run.';
COMMENT ON COLUMN integration_ops.settings.lag_alert IS
  'A pair whose oldest period without a run is older than this is reported in get_engine_status().lagging and gets a lagging alert.';
COMMENT ON COLUMN integration_ops.settings.dispatch_batch_size IS
  'Due pairs per dispatch transaction (1..1000): bounds the rows and the pair locks one transaction holds; the pg_cron job commits between batches until nothing is due.';

GRANT UPDATE (retry_max_attempts, retry_base_delay, retry_max_delay, retry_after_cap,
              max_catch_up_periods, lag_alert)
  ON TABLE integration_ops.settings TO service_role;

COMMIT;
