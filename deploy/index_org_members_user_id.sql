-- Deploy integration-sync:index_org_members_user_id to pg
-- requires: table_org_members
-- 0.3 (issue 25): one object, one change. Until 0.2 the index org_members_user_id_idx was
-- created by table_org_members (deploy/table_org_members@v0.2.0.sql); this is its released
-- definition, so a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX (deploy scripts are transactions): table_org_members's released
-- script built the index, so IF NOT EXISTS makes this a no-op wherever this change is
-- deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS org_members_user_id_idx ON integration_ops.org_members (user_id);
COMMIT;
