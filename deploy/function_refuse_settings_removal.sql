-- Deploy integration-sync:function_refuse_settings_removal to pg
-- requires: trigger_settings_keep_row
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_settings_keep_row. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refuse_settings_removal()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'integration_ops.settings keeps exactly one row: % is refused', TG_OP
    USING ERRCODE = '55000', HINT = 'UPDATE the row instead.';
END
$$;

REVOKE ALL ON FUNCTION integration_ops.refuse_settings_removal() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.refuse_settings_removal() IS
  'Trigger: refuses DELETE and TRUNCATE on integration_ops.settings (exactly one row).';

COMMIT;
