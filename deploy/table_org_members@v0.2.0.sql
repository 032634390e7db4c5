-- Deploy integration-sync:table_org_members to pg
-- requires: schema_integration_ops
-- Who holds which role in which org. Adopters with their own table re-point org_role().
BEGIN;

CREATE TABLE IF NOT EXISTS integration_ops.org_members (
  org_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, user_id)
);
CREATE INDEX IF NOT EXISTS org_members_user_id_idx ON integration_ops.org_members (user_id);

ALTER TABLE integration_ops.org_members ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.org_members FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE integration_ops.org_members TO service_role;

COMMENT ON TABLE integration_ops.org_members IS
  'Org membership: a user''s role (admin, coordinator, viewer) in an org. Read through integration_ops.org_role().';

COMMIT;
