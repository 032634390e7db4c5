-- Revert integration-sync:function_get_global_health_summary from pg: restore the 0.2 definition
-- (created by function_get_global_health_summary), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION public.get_global_health_summary()
RETURNS TABLE (
  integration_type text,
  display_name text,
  healthy bigint,
  degraded bigint,
  unreachable bigint,
  total bigint
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  PERFORM integration_ops.require_caller();
  IF NOT (integration_ops.is_service_role() OR integration_ops.is_global_admin()) THEN
    PERFORM integration_ops.raise_error('permission_denied',
      'The global health summary is for global administrators only.');
  END IF;

  RETURN QUERY
  SELECT t.integration_type, t.display_name,
         coalesce(sum(c.healthy), 0)::bigint, coalesce(sum(c.degraded), 0)::bigint,
         coalesce(sum(c.unreachable), 0)::bigint,
         coalesce(sum(c.healthy + c.degraded + c.unreachable), 0)::bigint
    FROM public.integration_types AS t
    LEFT JOIN integration_ops.health_status_counts AS c ON c.integration_type = t.integration_type
   GROUP BY t.integration_type, t.display_name
   ORDER BY t.integration_type;
END
$$;

REVOKE ALL ON FUNCTION public.get_global_health_summary() FROM PUBLIC, anon, authenticated;
REVOKE ALL ON FUNCTION public.get_global_health_summary() FROM integration_worker;
GRANT EXECUTE ON FUNCTION public.get_global_health_summary() TO authenticated, service_role;
COMMENT ON FUNCTION public.get_global_health_summary() IS
  'Counts of current health status across all orgs per integration type (integration_type, display_name, healthy, degraded, unreachable, total = pairs with a status; never-checked pairs are not counted), read from the per-type counters in integration_ops.health_status_counts (O(types)). Global admins (JWT user_role = global_admin) and service_role only; others get permission_denied (PT403), callers without sub not_authenticated.';

DROP FUNCTION IF EXISTS integration_ops.get_global_health_summary();

COMMIT;
