-- Revert integration-sync:index_org_members_user_id from pg
-- Nothing to undo: the index org_members_user_id_idx was created by table_org_members's
-- released script, so it is part of the state before this change, which only took over its
-- definition. It goes when table_org_members is reverted past its release.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
