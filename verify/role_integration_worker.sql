-- Verify integration-sync:role_integration_worker on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_roles
 WHERE rolname = 'integration_worker' AND NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls;
DO $$
BEGIN
  ASSERT pg_catalog.has_schema_privilege('integration_worker', 'integration_ops', 'usage');
  ASSERT NOT pg_catalog.has_schema_privilege('integration_worker', 'public', 'create');
END
$$;
ROLLBACK;
