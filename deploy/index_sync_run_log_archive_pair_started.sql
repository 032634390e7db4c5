-- Deploy integration-sync:index_sync_run_log_archive_pair_started to pg
-- requires: table_sync_run_log_archive
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- sync_run_log_archive_pair_started_idx was created by table_sync_run_log_archive
-- (deploy/table_sync_run_log_archive@v0.2.0.sql); this is its released definition, so a
-- database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX (deploy scripts are transactions): table_sync_run_log_archive's
-- released script built the index, so IF NOT EXISTS makes this a no-op wherever this change
-- is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS sync_run_log_archive_pair_started_idx
  ON integration_ops.sync_run_log_archive (org_id, integration_type, started_at DESC);
COMMIT;
