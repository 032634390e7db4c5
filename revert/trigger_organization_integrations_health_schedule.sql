-- Revert integration-sync:trigger_organization_integrations_health_schedule from pg
-- Nothing to undo: this rework (0.3, issue 25) only handed what the change also created
-- until 0.2 to the changes named after those objects. Everything it states was created by
-- the released script (deploy/trigger_organization_integrations_health_schedule@v0.2.0.sql)
-- and is as it left it: that is the state before this rework.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
