-- Verify integration-sync:table_sync_run_log_archive on pg
BEGIN;
SELECT id, org_id, integration_type, status, started_at, ended_at, archived_at
  FROM integration_ops.sync_run_log_archive WHERE false;
SELECT 1/((pg_catalog.has_table_privilege('service_role', 'integration_ops.sync_run_log_archive', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('service_role', 'integration_ops.sync_run_log_archive', 'delete')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'integration_ops.sync_run_log_archive', 'select')) IS TRUE)::int;
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'integration_ops.sync_run_log_archive_pair_started_idx'::regclass AND indisvalid;
ROLLBACK;
