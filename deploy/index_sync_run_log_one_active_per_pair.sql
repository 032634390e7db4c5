-- Deploy integration-sync:index_sync_run_log_one_active_per_pair to pg
-- requires: table_sync_run_log
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- sync_run_log_one_active_per_pair was created by table_sync_run_log
-- (deploy/table_sync_run_log@v0.2.0.sql); this is its released definition, so a database
-- that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- At most one active run per pair: the guard of the dispatcher and the manual trigger.
-- A plain CREATE INDEX (deploy scripts are transactions): table_sync_run_log's released
-- script built the index, so IF NOT EXISTS makes this a no-op wherever this change is
-- deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX IF NOT EXISTS sync_run_log_one_active_per_pair
  ON public.sync_run_log (org_id, integration_type) WHERE status IN ('pending', 'running');
COMMIT;
