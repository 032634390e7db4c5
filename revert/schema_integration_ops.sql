-- Revert integration-sync:schema_integration_ops from pg
BEGIN;
DROP SCHEMA IF EXISTS integration_ops;
COMMIT;
