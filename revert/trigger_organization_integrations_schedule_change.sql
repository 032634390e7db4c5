-- Revert integration-sync:trigger_organization_integrations_schedule_change from pg
-- Nothing to undo: the trigger organization_integrations_schedule_change was created by
-- trigger_organization_integrations_schedule's released script, so it is part of the state
-- before this change, which only took over its definition. It goes when
-- trigger_organization_integrations_schedule is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
