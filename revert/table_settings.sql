-- Revert integration-sync:table_settings from pg
BEGIN;
DROP TABLE IF EXISTS integration_ops.settings;
COMMIT;
