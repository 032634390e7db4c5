-- Revert integration-sync:index_organization_integrations_warmup from pg
-- Nothing to undo: the index organization_integrations_warmup_idx was created by
-- table_organization_integrations_warmup_url's released script, so it is part of the state
-- before this change, which only took over its definition. It goes when
-- table_organization_integrations_warmup_url is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
