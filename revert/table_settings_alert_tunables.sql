-- Revert integration-sync:table_settings_alert_tunables from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER TABLE integration_ops.settings
  DROP COLUMN IF EXISTS failure_alert_runs,
  DROP COLUMN IF EXISTS alert_retention,
  DROP COLUMN IF EXISTS engine_stats_max_age;
COMMIT;
