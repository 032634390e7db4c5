-- Revert integration-sync:constraint_sync_run_log_checks_validate from pg
-- Nothing to undo: a validated CHECK stays valid; table_sync_run_log_retries' revert
-- replaces the constraints.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
