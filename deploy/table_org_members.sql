-- Deploy integration-sync:table_org_members to pg
-- requires: table_org_members@v0.2.0 index_org_members_user_id
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index org_members_user_id_idx -> index_org_members_user_id
-- The released scripts: deploy/table_org_members@v0.2.0.sql (frozen); a deploy runs them
-- first, so every object named here exists before this rework, which restates only what is
-- this change's own.
-- Who holds which role in which org. Adopters with their own table re-point org_role().
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists).
CREATE TABLE IF NOT EXISTS integration_ops.org_members (
  org_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);

ALTER TABLE integration_ops.org_members ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.org_members FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE integration_ops.org_members TO service_role;

COMMENT ON TABLE integration_ops.org_members IS
  'Org membership: a user''s role (admin, coordinator, viewer) in an org. Read through integration_ops.org_role().';

COMMIT;
