-- Revert integration-sync:trigger_integration_health_status_touch from pg
-- Nothing to undo: the trigger integration_health_status_touch was created by
-- table_integration_health_status's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when table_integration_health_status
-- is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
