-- Revert integration-sync:trigger_organization_integrations_pending_runs_removed from pg
-- Nothing to undo: the trigger organization_integrations_pending_runs_removed was created
-- by trigger_organization_integrations_pending_runs's released script, so it is part of the
-- state before this change, which only took over its definition. It goes when
-- trigger_organization_integrations_pending_runs is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
