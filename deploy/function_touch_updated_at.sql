-- Deploy integration-sync:function_touch_updated_at to pg
-- requires: function_touch_updated_at@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- BEFORE UPDATE trigger function keeping updated_at current.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.touch_updated_at() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.touch_updated_at() IS 'Trigger: set updated_at to now() on UPDATE.';

COMMIT;
