-- Deploy integration-sync:table_sync_trigger_audit to pg
-- requires: schema_integration_ops
-- One row per accepted manual trigger (GDPR accountability). Append-only: a trigger
-- refuses UPDATE, DELETE and TRUNCATE for every role, the owner included. Never touched
-- by run-log archival (no foreign key to sync_run_log, so archiving a run keeps its row).
BEGIN;

CREATE TABLE IF NOT EXISTS integration_ops.sync_trigger_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id uuid NOT NULL,
  user_id uuid NOT NULL,
  org_id uuid NOT NULL,
  integration_type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sync_trigger_audit_pair_idx
  ON integration_ops.sync_trigger_audit (org_id, integration_type, created_at DESC);
CREATE INDEX IF NOT EXISTS sync_trigger_audit_user_idx
  ON integration_ops.sync_trigger_audit (user_id, created_at DESC);

CREATE OR REPLACE FUNCTION integration_ops.refuse_audit_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  RAISE EXCEPTION 'integration_ops.sync_trigger_audit is append-only: % refused', TG_OP
    USING ERRCODE = '42501',
          HINT = 'Audit rows are never changed or removed.';
END
$$;
REVOKE ALL ON FUNCTION integration_ops.refuse_audit_change() FROM PUBLIC;

DROP TRIGGER IF EXISTS sync_trigger_audit_append_only ON integration_ops.sync_trigger_audit;
CREATE TRIGGER sync_trigger_audit_append_only
  BEFORE UPDATE OR DELETE ON integration_ops.sync_trigger_audit
  FOR EACH ROW EXECUTE FUNCTION integration_ops.refuse_audit_change();
DROP TRIGGER IF EXISTS sync_trigger_audit_no_truncate ON integration_ops.sync_trigger_audit;
CREATE TRIGGER sync_trigger_audit_no_truncate
  BEFORE TRUNCATE ON integration_ops.sync_trigger_audit
  FOR EACH STATEMENT EXECUTE FUNCTION integration_ops.refuse_audit_change();

ALTER TABLE integration_ops.sync_trigger_audit ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.sync_trigger_audit FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.sync_trigger_audit TO service_role;

COMMENT ON TABLE integration_ops.sync_trigger_audit IS
  'Append-only audit of accepted manual sync triggers (who, which org/integration, which run, when), written by trigger_integration_sync in the same transaction. UPDATE, DELETE and TRUNCATE are refused by trigger for every role, the owner included. Readable by service_role only: global admins get no direct access (the table holds per-user activity; expose it to them, if needed, through a service-role backed admin tool). Not touched by run-log archival.';
COMMENT ON FUNCTION integration_ops.refuse_audit_change() IS
  'Trigger: refuse UPDATE, DELETE and TRUNCATE of sync_trigger_audit.';

COMMIT;
