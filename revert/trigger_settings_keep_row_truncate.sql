-- Revert integration-sync:trigger_settings_keep_row_truncate from pg
-- Nothing to undo: the trigger settings_keep_row_truncate was created by
-- trigger_settings_keep_row's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when trigger_settings_keep_row is
-- reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
