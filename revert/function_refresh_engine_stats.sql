-- Revert integration-sync:function_refresh_engine_stats from pg: restore the 0.2 definition
-- (created by function_refresh_engine_stats), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.refresh_engine_stats()
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = ''
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
REVOKE ALL ON FUNCTION integration_ops.refresh_engine_stats() FROM anon, authenticated, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.refresh_engine_stats() TO service_role;
COMMENT ON FUNCTION integration_ops.refresh_engine_stats() IS
  'Stores compute_engine_stats(now) in integration_ops.engine_stats (never over a newer row) and returns it with computed_at. Run by the pg_cron job integration_refresh_engine_stats every minute; service_role may call it.';

COMMIT;
