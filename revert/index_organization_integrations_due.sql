-- Revert integration-sync:index_organization_integrations_due from pg
-- Nothing to undo: the index organization_integrations_due_idx was created by
-- table_organization_integrations's released script, so it is part of the state before this
-- change, which only took over its definition. It goes when table_organization_integrations
-- is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
