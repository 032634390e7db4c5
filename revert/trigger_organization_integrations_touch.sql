-- Revert integration-sync:trigger_organization_integrations_touch from pg
-- Nothing to undo: the trigger organization_integrations_touch was created by
-- table_organization_integrations's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when table_organization_integrations
-- is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
