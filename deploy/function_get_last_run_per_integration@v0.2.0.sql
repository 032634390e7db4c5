-- Deploy integration-sync:function_get_last_run_per_integration to pg
-- requires: table_sync_run_log function_authorize
-- DESIGN §5: the newest run per integration type of an org.
BEGIN;

CREATE OR REPLACE FUNCTION public.get_last_run_per_integration(org_id uuid)
RETURNS SETOF public.sync_run_log
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
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

REVOKE ALL ON FUNCTION public.get_last_run_per_integration(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_last_run_per_integration(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION public.get_last_run_per_integration(uuid) IS
  'The newest run (by started_at) per integration type of org_id, ordered by type. Org admins and coordinators of org_id (JWT org_id), global admins, service_role.';

COMMIT;
