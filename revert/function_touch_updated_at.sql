-- Revert integration-sync:function_touch_updated_at from pg: restore the 0.2 definition
-- (created by function_touch_updated_at), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

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
REVOKE ALL ON FUNCTION integration_ops.touch_updated_at() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.touch_updated_at() IS 'Trigger: set updated_at to now() on UPDATE.';

COMMIT;
