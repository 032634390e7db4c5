-- Revert integration-sync:privileges_revoke_function_execute from pg
BEGIN;
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
COMMIT;
