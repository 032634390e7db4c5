-- Revert integration-sync:trigger_integration_health_status_counts_insert from pg
-- Nothing to undo: the trigger integration_health_status_counts_insert was created by
-- table_health_status_counts's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when table_health_status_counts is
-- reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
