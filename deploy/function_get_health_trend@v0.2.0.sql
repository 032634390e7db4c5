-- Deploy integration-sync:function_get_health_trend to pg
-- requires: table_integration_health_history function_authorize function_require_integration
-- Public RPC (DESIGN §5): a pair's history for a trend chart.
--
-- History rows with checked_at >= now() - hours, newest first (checked_at, then id),
-- at most hours * 4 (one per 15 minutes). hours in 1..720. Callers as
-- get_org_health_status. One bounded range scan of integration_health_history_pair_idx.
BEGIN;

CREATE OR REPLACE FUNCTION public.get_health_trend(org_id uuid, integration_type text, hours integer)
RETURNS TABLE (status text, latency_ms integer, checked_at timestamptz)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM integration_ops.require_caller();
  IF get_health_trend.org_id IS NULL
     OR get_health_trend.integration_type IS NULL
     OR get_health_trend.hours IS NULL
     OR get_health_trend.hours NOT BETWEEN 1 AND 720
  THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'org_id and integration_type are required and hours must be between 1 and 720.');
  END IF;
  PERFORM integration_ops.require_org_access(get_health_trend.org_id, ARRAY['admin'], true);
  PERFORM integration_ops.require_known_type(get_health_trend.integration_type);

  RETURN QUERY
  SELECT h.status, h.latency_ms, h.checked_at
    FROM public.integration_health_history AS h
   WHERE h.org_id = get_health_trend.org_id
     AND h.integration_type = get_health_trend.integration_type
     AND h.checked_at >= now() - make_interval(hours => get_health_trend.hours)
   ORDER BY h.checked_at DESC, h.id DESC
   LIMIT get_health_trend.hours * 4;
END
$$;

REVOKE ALL ON FUNCTION public.get_health_trend(uuid, text, integer) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_health_trend(uuid, text, integer) TO authenticated, service_role;
COMMENT ON FUNCTION public.get_health_trend(uuid, text, integer) IS
  'Health history of a pair for trend charts: (status, latency_ms, checked_at) with checked_at >= now() - hours, newest first, at most hours * 4 rows; hours 1..720. Org admins of org_id, global admins, service_role. Errors: not_authenticated, invalid_argument, org_scope_violation, permission_denied, unknown_integration_type.';

COMMIT;
