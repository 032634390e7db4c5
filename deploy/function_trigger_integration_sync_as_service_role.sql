-- Deploy integration-sync:function_trigger_integration_sync_as_service_role to pg
-- requires: function_start_manual_sync
-- 0.3 (issue 23, DESIGN §13): the entry of public.trigger_integration_sync when the database
-- role service_role is in effect. Inside a SECURITY DEFINER body current_user is the owner,
-- so a body cannot see that its caller was a function owned by service_role (an app's
-- database trigger); the invoker wrapper can, and calls this one, which only service_role
-- may execute: the privilege check is the proof.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_integration_sync_as_service_role(org_id uuid, integration_type text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN integration_ops.start_manual_sync(trigger_integration_sync_as_service_role.org_id,
    trigger_integration_sync_as_service_role.integration_type, true);
END
$$;

REVOKE ALL ON FUNCTION integration_ops.trigger_integration_sync_as_service_role(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.trigger_integration_sync_as_service_role(uuid, text) TO service_role;
COMMENT ON FUNCTION integration_ops.trigger_integration_sync_as_service_role(uuid, text) IS
  'public.trigger_integration_sync for the database role service_role (SECURITY DEFINER, not exposed; only service_role may execute it). Call public.trigger_integration_sync.';

COMMIT;
