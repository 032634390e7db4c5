-- Deploy integration-sync:function_get_org_health_status to pg
-- requires: table_integration_health_status table_organization_integrations function_authorize
-- Public RPC (DESIGN §5): the org's current health, one row per pair.
--
-- Rows: every integration the org has configured (organization_integrations, enabled or
-- not), plus any pair with a status row; status (and the other result columns) NULL when
-- never checked — no status row or a claim bookkeeping row. Ordered by integration_type.
-- Callers: org admin of org_id, global admin, service_role.
BEGIN;

CREATE OR REPLACE FUNCTION public.get_org_health_status(org_id uuid)
RETURNS TABLE (
  integration_type text,
  display_name text,
  status text,
  latency_ms integer,
  checked_at timestamptz,
  error_message text
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM integration_ops.require_caller();
  IF get_org_health_status.org_id IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'org_id is required.');
  END IF;
  PERFORM integration_ops.require_org_access(get_org_health_status.org_id, ARRAY['admin'], true);

  RETURN QUERY
  SELECT p.p_type, t.display_name, hs.status, hs.latency_ms, hs.checked_at, hs.error_message
    FROM (SELECT oi.integration_type AS p_type
            FROM public.organization_integrations AS oi
           WHERE oi.org_id = get_org_health_status.org_id
          UNION
          SELECT s.integration_type
            FROM public.integration_health_status AS s
           WHERE s.org_id = get_org_health_status.org_id) AS p
    JOIN public.integration_types AS t ON t.integration_type = p.p_type
    LEFT JOIN public.integration_health_status AS hs
      ON hs.org_id = get_org_health_status.org_id AND hs.integration_type = p.p_type
   ORDER BY p.p_type;
END
$$;

REVOKE ALL ON FUNCTION public.get_org_health_status(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_org_health_status(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION public.get_org_health_status(uuid) IS
  'Current health of an org''s integrations: one row per configured integration plus any pair with a status row (integration_type, display_name, status, latency_ms, checked_at, error_message); status NULL when never checked. Org admins of org_id, global admins, service_role. Errors: not_authenticated, invalid_argument, org_scope_violation, permission_denied.';

COMMIT;
