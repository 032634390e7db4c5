-- Verify integration-sync:table_org_members on pg
BEGIN;
SELECT org_id, user_id, role, created_at FROM integration_ops.org_members WHERE false;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'integration_ops.org_members', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'integration_ops.org_members', 'select')) IS TRUE)::int;
SELECT 1/((pg_catalog.has_table_privilege('service_role', 'integration_ops.org_members', 'insert')) IS TRUE)::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.org_members_user_id_idx'::regclass AND indisvalid;
ROLLBACK;
