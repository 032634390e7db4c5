-- Revert integration-sync:table_settings_outcome_tunables from pg
BEGIN;
SET LOCAL lock_timeout = '5s';

REVOKE UPDATE (retry_max_attempts, retry_base_delay, retry_max_delay, retry_after_cap,
               max_catch_up_periods, lag_alert)
  ON TABLE integration_ops.settings FROM service_role;
ALTER TABLE integration_ops.settings DROP CONSTRAINT IF EXISTS settings_dispatch_batch_size_range;
ALTER TABLE integration_ops.settings
  ADD CONSTRAINT settings_dispatch_batch_size_range CHECK (dispatch_batch_size BETWEEN 1 AND 5000);
COMMENT ON COLUMN integration_ops.settings.dispatch_batch_size IS
  'Due pairs one dispatch_due_syncs() call handles at most (its row and advisory locks are bounded by this).';
ALTER TABLE integration_ops.settings
  DROP COLUMN IF EXISTS lag_alert,
  DROP COLUMN IF EXISTS max_catch_up_periods,
  DROP COLUMN IF EXISTS retry_after_cap,
  DROP COLUMN IF EXISTS retry_max_delay,
  DROP COLUMN IF EXISTS retry_base_delay,
  DROP COLUMN IF EXISTS retry_max_attempts;

COMMIT;
