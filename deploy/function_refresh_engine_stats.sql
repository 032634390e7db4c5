-- Deploy integration-sync:function_refresh_engine_stats to pg
-- requires: function_refresh_engine_stats@v0.2.0 function_compute_engine_stats
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The figures behind public.get_engine_status() that read more than a few rows (issue 17):
-- compute_engine_stats(as_of) returns
--   runs_24h, drift_24h  range scans of sync_run_log_ended_idx (runs ended in the 24 hours
--                        before as_of) plus sync_run_log_one_active_per_pair (scheduled runs in
--                        flight count toward the drift);
--   failing              the 100 worst pairs from the first rows of two partial indexes
--                        (integration_health_status_unreachable_idx,
--                        alerts_open_failures_idx), never a pass over every pair;
--   workers_1h           a range scan of the last hour of sync_run_log_ended_idx;
-- refresh_engine_stats() stores it in integration_ops.engine_stats (pg_cron, every minute):
-- one pass over a day of runs per minute, off every hot path.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refresh_engine_stats()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_now timestamptz := integration_ops.clock();
  v_stats jsonb;
BEGIN
  v_stats := integration_ops.compute_engine_stats(v_now);
  -- One row; a refresh that started earlier never replaces a later one.
  INSERT INTO integration_ops.engine_stats AS e (id, computed_at, stats)
  VALUES (true, v_now, v_stats)
  ON CONFLICT (id) DO UPDATE SET computed_at = EXCLUDED.computed_at, stats = EXCLUDED.stats
   WHERE e.computed_at <= EXCLUDED.computed_at;
  RETURN jsonb_build_object('computed_at', v_now) || v_stats;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.refresh_engine_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.refresh_engine_stats() TO service_role;
COMMENT ON FUNCTION integration_ops.refresh_engine_stats() IS
  'Stores compute_engine_stats(now) in integration_ops.engine_stats (never over a newer row) and returns it with computed_at. Run by the pg_cron job integration_refresh_engine_stats every minute; service_role may call it.';

COMMIT;
