-- Revert integration-sync:role_integration_worker from pg
BEGIN;
REVOKE ALL ON SCHEMA integration_ops FROM integration_worker;
DROP ROLE IF EXISTS integration_worker;
COMMIT;
