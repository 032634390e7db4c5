-- Verify integration-sync:table_sync_trigger_audit_actor on pg
BEGIN;
SELECT actor, action FROM integration_ops.sync_trigger_audit WHERE false;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_constraint
 WHERE conrelid = 'integration_ops.sync_trigger_audit'::regclass AND conname = 'sync_trigger_audit_user_check';
SELECT 1/((NOT pg_catalog.has_table_privilege('service_role', 'integration_ops.sync_trigger_audit', 'INSERT')) IS TRUE)::int;
ROLLBACK;
