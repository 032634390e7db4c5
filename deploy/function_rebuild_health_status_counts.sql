-- Deploy integration-sync:function_rebuild_health_status_counts to pg
-- requires: table_health_status_counts
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- table_health_status_counts. Reverting restores that definition.
-- Recount from the status table (after writes that skipped triggers, or to repair).
-- Holds SHARE on the status table while it counts, so no status write runs meanwhile.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.rebuild_health_status_counts()
RETURNS void
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  LOCK TABLE public.integration_health_status IN SHARE MODE;
  DELETE FROM integration_ops.health_status_counts;
  INSERT INTO integration_ops.health_status_counts (integration_type, slot, healthy, degraded, unreachable)
  SELECT t.integration_type, g.n,
         CASE WHEN g.n = 0 THEN coalesce(c.n_healthy, 0) ELSE 0 END,
         CASE WHEN g.n = 0 THEN coalesce(c.n_degraded, 0) ELSE 0 END,
         CASE WHEN g.n = 0 THEN coalesce(c.n_unreachable, 0) ELSE 0 END
    FROM public.integration_types AS t
   CROSS JOIN pg_catalog.generate_series(0, 7) AS g (n)
    LEFT JOIN (SELECT hs.integration_type AS c_type,
                      count(*) FILTER (WHERE hs.status = 'healthy') AS n_healthy,
                      count(*) FILTER (WHERE hs.status = 'degraded') AS n_degraded,
                      count(*) FILTER (WHERE hs.status = 'unreachable') AS n_unreachable
                 FROM public.integration_health_status AS hs
                WHERE hs.status IS NOT NULL
                GROUP BY hs.integration_type) AS c ON c.c_type = t.integration_type;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.rebuild_health_status_counts() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.rebuild_health_status_counts() IS
  'Recount integration_ops.health_status_counts from integration_health_status (SHARE lock on it meanwhile). For after a bulk load that skipped triggers, or a repair; the triggers keep the counts otherwise. Owner only.';

COMMIT;
