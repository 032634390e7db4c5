-- Revert integration-sync:privileges_revoke_function_execute from pg
-- Back to the 0.1 state (deploy/privileges_revoke_function_execute@v0.1.0.sql): the
-- deploying role's database-wide default without PUBLIC EXECUTE on new functions.
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
COMMIT;
