-- Verify integration-sync:schema_integration_ops on pg
BEGIN;
SELECT pg_catalog.has_schema_privilege('integration_ops', 'usage');
-- anon must not use integration_ops
SELECT 1/((NOT pg_catalog.has_schema_privilege('anon', 'integration_ops', 'usage')) IS TRUE)::int;
-- service_role must use integration_ops
SELECT 1/((pg_catalog.has_schema_privilege('service_role', 'integration_ops', 'usage')) IS TRUE)::int;
ROLLBACK;
