-- Revert integration-sync:trigger_integration_health_status_history from pg
-- Nothing to undo: the trigger integration_health_status_history was created by
-- function_trigger_health_history's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when function_trigger_health_history
-- is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
