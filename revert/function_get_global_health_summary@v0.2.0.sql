-- Revert integration-sync:function_get_global_health_summary from pg: restores the release 0.1 definition
-- requires: table_integration_health_status function_authorize
-- Public RPC (DESIGN §5): counts of current status across all orgs, per type.
--
-- One row per type in integration_types (zeros included). healthy/degraded/unreachable
-- count status rows with that status; total = pairs with a current status (their sum;
-- never-checked bookkeeping rows are not counted). Checks the JWT explicitly (not only
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
         coalesce(c.n_healthy, 0), coalesce(c.n_degraded, 0), coalesce(c.n_unreachable, 0),
         coalesce(c.n_total, 0)
    FROM public.integration_types AS t
    LEFT JOIN (
      SELECT hs.integration_type AS c_type,
             count(*) FILTER (WHERE hs.status = 'healthy') AS n_healthy,
             count(*) FILTER (WHERE hs.status = 'degraded') AS n_degraded,
             count(*) FILTER (WHERE hs.status = 'unreachable') AS n_unreachable,
             count(*) AS n_total
        FROM public.integration_health_status AS hs
       WHERE hs.status IS NOT NULL
       GROUP BY hs.integration_type
    ) AS c ON c.c_type = t.integration_type
   ORDER BY t.integration_type;
END
$$;

REVOKE ALL ON FUNCTION public.get_global_health_summary() FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.get_global_health_summary() TO authenticated, service_role;
COMMENT ON FUNCTION public.get_global_health_summary() IS
  'Counts of current health status across all orgs per integration type (integration_type, display_name, healthy, degraded, unreachable, total = pairs with a status). Global admins (JWT user_role = global_admin) and service_role only; others get permission_denied (PT403), callers without sub not_authenticated.';

COMMIT;
