-- Deploy integration-sync:function_get_global_health_summary to pg
-- requires: function_get_global_health_summary@v0.1.0 table_health_status_counts
-- Public RPC (DESIGN §5): counts of current status across all orgs, per type.
--
-- One row per type in integration_types (zeros included). healthy/degraded/unreachable
-- count status rows with that status; total = pairs with a current status (their sum;
-- never-checked bookkeeping rows are not counted).
-- Since 0.2 (issue 16) it sums the per-type counter slots of
-- integration_ops.health_status_counts (kept by triggers on the status table): O(types),
-- whatever the number of pairs, instead of counting every status row. Checks the JWT explicitly (not only
-- RLS): not_authenticated without a sub, permission_denied unless the claims carry
-- user_role = global_admin or the caller is service_role.
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
GRANT EXECUTE ON FUNCTION public.get_global_health_summary() TO authenticated, service_role;
COMMENT ON FUNCTION public.get_global_health_summary() IS
  'Counts of current health status across all orgs per integration type (integration_type, display_name, healthy, degraded, unreachable, total = pairs with a status; never-checked pairs are not counted), read from the per-type counters in integration_ops.health_status_counts (O(types)). Global admins (JWT user_role = global_admin) and service_role only; others get permission_denied (PT403), callers without sub not_authenticated.';

COMMIT;
