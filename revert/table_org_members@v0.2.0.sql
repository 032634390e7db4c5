-- Revert integration-sync:table_org_members from pg
BEGIN;
DROP TABLE IF EXISTS integration_ops.org_members;
COMMIT;
