-- Deploy integration-sync:table_sync_trigger_audit to pg
-- requires: table_sync_trigger_audit@v0.2.0 index_sync_trigger_audit_pair index_sync_trigger_audit_user trigger_sync_trigger_audit_append_only trigger_sync_trigger_audit_no_truncate function_refuse_audit_change
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.refuse_audit_change -> function_refuse_audit_change
--   index sync_trigger_audit_pair_idx -> index_sync_trigger_audit_pair
--   index sync_trigger_audit_user_idx -> index_sync_trigger_audit_user
--   trigger sync_trigger_audit_append_only -> trigger_sync_trigger_audit_append_only
--   trigger sync_trigger_audit_no_truncate -> trigger_sync_trigger_audit_no_truncate
-- The released scripts: deploy/table_sync_trigger_audit@v0.2.0.sql (frozen); a deploy runs
-- them first, so every object named here exists before this rework, which restates only
-- what is this change's own.
-- One row per accepted manual trigger (GDPR accountability). Append-only: a trigger
-- refuses UPDATE, DELETE and TRUNCATE for every role, the owner included. Never touched
-- by run-log archival (no foreign key to sync_run_log, so archiving a run keeps its row).
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists). Changes that
-- altered it since: table_sync_trigger_audit_actor (actor, action).
CREATE TABLE IF NOT EXISTS integration_ops.sync_trigger_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id uuid NOT NULL,
  user_id uuid NOT NULL,
  org_id uuid NOT NULL,
  integration_type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE integration_ops.sync_trigger_audit ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.sync_trigger_audit FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.sync_trigger_audit TO service_role;

COMMENT ON TABLE integration_ops.sync_trigger_audit IS
  'Append-only audit of accepted manual sync triggers (who, which org/integration, which run, when), written by trigger_integration_sync in the same transaction. UPDATE, DELETE and TRUNCATE are refused by trigger for every role, the owner included. Readable by service_role only: global admins get no direct access (the table holds per-user activity; expose it to them, if needed, through a service-role backed admin tool). Not touched by run-log archival.';

COMMIT;
