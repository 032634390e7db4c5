-- Revert integration-sync:index_sync_run_log_one_active_per_pair from pg
-- Nothing to undo: the index sync_run_log_one_active_per_pair was created by
-- table_sync_run_log's released script, so it is part of the state before this change,
-- which only took over its definition. It goes when table_sync_run_log is reverted past its
-- release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
