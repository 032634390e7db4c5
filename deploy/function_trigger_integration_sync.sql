-- Deploy integration-sync:function_trigger_integration_sync to pg
-- requires: function_trigger_integration_sync@v0.2.0 function_start_manual_sync function_trigger_integration_sync_as_service_role function_is_service_role
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: the exposed RPC public.trigger_integration_sync is SECURITY INVOKER and holds no privilege of its own;
-- its body, with every check, is the SECURITY DEFINER function integration_ops.trigger_integration_sync in
-- the schema PostgREST does not expose (Supabase's advisor: no definer function that
-- signed-in users can call through /rest/v1/rpc).
-- 0.2: the rate limit reads the engine's clock and fails loudly without the settings row.
-- DESIGN §5 / issue 7: a manual run through the same engine as scheduled runs.
-- 0.3 (issue 23, DESIGN §13): service_role may trigger (a backend or a database trigger):
-- triggered_by manual, no user, audited with actor service_role, not rate-limited.
-- 0.3 (issue 22): the pair lock before `enabled` is read (a run never starts on a pair being
-- disabled); the run's idempotency key is its id (the header 0.2 sent), shared by its retries.
-- The work is integration_ops.start_manual_sync; the wrapper sends the database role
-- service_role (also a trigger function owned by it) to trigger_integration_sync_as_service_role.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.trigger_integration_sync(org_id uuid, integration_type text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- service_role as the request's role (PostgREST's SET ROLE); otherwise a signed-in user
  RETURN integration_ops.start_manual_sync(trigger_integration_sync.org_id,
    trigger_integration_sync.integration_type, integration_ops.is_service_role());
END
$$;

REVOKE ALL ON FUNCTION integration_ops.trigger_integration_sync(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.trigger_integration_sync(uuid,text) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.trigger_integration_sync(uuid,text) IS
  'Body of public.trigger_integration_sync (SECURITY DEFINER, not exposed): the checks and the work. Call public.trigger_integration_sync.';

CREATE OR REPLACE FUNCTION public.trigger_integration_sync(org_id uuid, integration_type text)
RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- current_user here is the caller's role: service_role also when the caller is a function
  -- owned by service_role (an app's database trigger), which a definer body cannot see
  IF CURRENT_USER OPERATOR(pg_catalog.=) 'service_role' THEN
    RETURN integration_ops.trigger_integration_sync_as_service_role(trigger_integration_sync.org_id,
      trigger_integration_sync.integration_type);
  END IF;
  RETURN integration_ops.trigger_integration_sync(trigger_integration_sync.org_id, trigger_integration_sync.integration_type);
END
$$;

REVOKE ALL ON FUNCTION public.trigger_integration_sync(uuid,text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.trigger_integration_sync(uuid,text) TO authenticated, service_role;
COMMENT ON FUNCTION public.trigger_integration_sync(uuid, text) IS
  'Start a manual sync of (org_id, integration_type) for the signed-in org admin or coordinator, or for service_role (a backend or a database trigger: triggered_by manual, no user, audited as service_role, not rate-limited); returns the pending run''s id at once. Checks in DESIGN §6 order (not_authenticated, invalid_argument, org_scope_violation, permission_denied, unknown_integration_type, integration_not_configured, sync_already_in_progress, rate_limited per settings.manual_rate_limit), then a pending run under the pair lock, an audit row, and the shared wake-up. A refused call writes nothing.';

COMMIT;
