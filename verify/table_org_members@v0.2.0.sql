-- Verify integration-sync:table_org_members on pg
BEGIN;
SELECT org_id, user_id, role, created_at FROM integration_ops.org_members WHERE false;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'integration_ops.org_members', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'integration_ops.org_members', 'select')) IS TRUE)::int;
SELECT 1/((pg_catalog.has_table_privilege('service_role', 'integration_ops.org_members', 'insert')) IS TRUE)::int;
ROLLBACK;
