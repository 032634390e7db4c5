-- Deploy integration-sync:function_touch_updated_at to pg
-- requires: schema_integration_ops privileges_revoke_function_execute
-- BEFORE UPDATE trigger function keeping updated_at current.
BEGIN;

CREATE OR REPLACE FUNCTION integration_ops.touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION integration_ops.touch_updated_at() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.touch_updated_at() IS 'Trigger: set updated_at to now() on UPDATE.';

COMMIT;
