-- Deploy integration-sync:function_get_last_run_per_integration to pg
-- requires: function_get_last_run_per_integration@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3: the exposed RPC public.get_last_run_per_integration is SECURITY INVOKER and holds no privilege of its own;
-- its body, with every check, is the SECURITY DEFINER function integration_ops.get_last_run_per_integration in
-- the schema PostgREST does not expose (Supabase's advisor: no definer function that
-- signed-in users can call through /rest/v1/rpc).
-- DESIGN §5: the newest run per integration type of an org.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.get_last_run_per_integration(org_id uuid)
RETURNS SETOF public.sync_run_log
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM integration_ops.require_caller();
  IF get_last_run_per_integration.org_id IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'org_id is required.');
  END IF;
  PERFORM integration_ops.require_org_access(get_last_run_per_integration.org_id,
    ARRAY['admin', 'coordinator'], true);

  -- One index probe per allowlisted type on (org_id, integration_type, started_at DESC):
  -- the allowlist is small, so this stays fast however many runs the org has.
  RETURN QUERY
  SELECT last.*
    FROM public.integration_types AS t
   CROSS JOIN LATERAL (
     SELECT r.*
       FROM public.sync_run_log AS r
      WHERE r.org_id = get_last_run_per_integration.org_id
        AND r.integration_type = t.integration_type
      ORDER BY r.started_at DESC, r.id DESC
      LIMIT 1
   ) AS last
   ORDER BY t.integration_type;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.get_last_run_per_integration(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.get_last_run_per_integration(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.get_last_run_per_integration(uuid) IS
  'Body of public.get_last_run_per_integration (SECURITY DEFINER, not exposed): the checks and the work. Call public.get_last_run_per_integration.';

CREATE OR REPLACE FUNCTION public.get_last_run_per_integration(org_id uuid)
RETURNS SETOF public.sync_run_log
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN QUERY SELECT * FROM integration_ops.get_last_run_per_integration(get_last_run_per_integration.org_id);
END
$$;

REVOKE ALL ON FUNCTION public.get_last_run_per_integration(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_last_run_per_integration(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION public.get_last_run_per_integration(uuid) IS
  'The newest run (by started_at) per integration type of org_id, ordered by type. Org admins and coordinators of org_id (JWT org_id), global admins, service_role.';

COMMIT;
