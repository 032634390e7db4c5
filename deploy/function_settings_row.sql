-- Deploy integration-sync:function_settings_row to pg
-- requires: function_settings_row@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- Every reader of integration_ops.settings goes through this: the one row, or a loud
-- error. Without it a missing row used to turn the rate limit and the reaper off
-- silently (NULL comparisons) while other paths fell back to constants.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.settings_row()
RETURNS integration_ops.settings
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_row integration_ops.settings;
BEGIN
  SELECT s.* INTO v_row FROM integration_ops.settings AS s WHERE s.id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'integration_ops.settings has no row'
      USING ERRCODE = 'P0002',
            HINT = 'Restore it with: INSERT INTO integration_ops.settings (id) VALUES (true);';
  END IF;
  RETURN v_row;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.settings_row() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.settings_row() IS
  'Internal: the one row of integration_ops.settings; raises P0002 when it is missing, so no reader silently runs with NULL tunables.';

COMMIT;
