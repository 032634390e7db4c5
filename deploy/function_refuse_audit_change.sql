-- Deploy integration-sync:function_refuse_audit_change to pg
-- requires: table_sync_trigger_audit
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- table_sync_trigger_audit. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refuse_audit_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'integration_ops.sync_trigger_audit is append-only: % refused', TG_OP
    USING ERRCODE = '42501',
          HINT = 'Audit rows are never changed or removed.';
END
$$;

REVOKE ALL ON FUNCTION integration_ops.refuse_audit_change() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.refuse_audit_change() IS
  'Trigger: refuse UPDATE, DELETE and TRUNCATE of sync_trigger_audit.';

COMMIT;
