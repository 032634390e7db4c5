-- Verify integration-sync:role_integration_worker on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_roles
 WHERE rolname = 'integration_worker' AND NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls;
SELECT 1/((pg_catalog.has_schema_privilege('integration_worker', 'integration_ops', 'usage')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_schema_privilege('integration_worker', 'public', 'create')) IS TRUE)::int;
ROLLBACK;
