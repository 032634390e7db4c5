-- Revert integration-sync:function_refuse_audit_change from pg: restore the 0.2 definition
-- (created by table_sync_trigger_audit), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

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
REVOKE ALL ON FUNCTION integration_ops.refuse_audit_change() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.refuse_audit_change() IS
  'Trigger: refuse UPDATE, DELETE and TRUNCATE of sync_trigger_audit.';

COMMIT;
