-- Revert integration-sync:table_settings_warmup_tunables from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
REVOKE UPDATE (warmup_lead, cold_start_idle) ON TABLE integration_ops.settings FROM service_role;
ALTER TABLE integration_ops.settings
  DROP COLUMN IF EXISTS warmup_lead,
  DROP COLUMN IF EXISTS cold_start_idle;
COMMIT;
