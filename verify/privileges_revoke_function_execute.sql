-- Verify integration-sync:privileges_revoke_function_execute on pg
-- The package relies on per-function revokes: no function of integration_ops is executable
-- by PUBLIC. (Whether PUBLIC EXECUTE is back in the database-wide default is the
-- adopter's business after this change, so it is not verified here: see
-- tests/test_deploy_hygiene.py.) Raises whatever the settings (no ASSERT).
BEGIN;
SELECT 1/(NOT EXISTS (
  SELECT FROM pg_catalog.pg_proc AS p
   WHERE p.pronamespace = 'integration_ops'::regnamespace
     AND EXISTS (SELECT FROM pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) AS a
                  WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')))::int;
ROLLBACK;
