-- Revert integration-sync:index_alerts_unnotified from pg
-- Nothing to undo: the index alerts_unnotified_idx was created by table_alerts's released
-- script, so it is part of the state before this change, which only took over its
-- definition. It goes when table_alerts is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
