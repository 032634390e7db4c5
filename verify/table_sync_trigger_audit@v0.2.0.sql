-- Verify integration-sync:table_sync_trigger_audit on pg
BEGIN;
SELECT id, run_id, user_id, org_id, integration_type, created_at
  FROM integration_ops.sync_trigger_audit WHERE false;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'integration_ops.sync_trigger_audit'::regclass AND tgname = 'sync_trigger_audit_append_only';
SELECT 1/((pg_catalog.has_table_privilege('service_role', 'integration_ops.sync_trigger_audit', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('service_role', 'integration_ops.sync_trigger_audit', 'update')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'integration_ops.sync_trigger_audit', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'integration_ops.sync_trigger_audit', 'select')) IS TRUE)::int;
ROLLBACK;
