-- Deploy integration-sync:table_engine_stats to pg
-- requires: schema_integration_ops
-- The engine's figures of the last 24 hours as one row (issue 17): runs by type and
-- outcome, drift percentiles, the workers seen in the last hour. Computed every minute by
-- integration_ops.refresh_engine_stats() (pg_cron), read by public.get_engine_status():
-- counting and sorting a day of runs (20,000 at 2,000 orgs with daily syncs) takes
-- 10-30 ms, reading one row does not. Written only by the package's functions.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE TABLE IF NOT EXISTS integration_ops.engine_stats (
  id boolean PRIMARY KEY DEFAULT true CONSTRAINT engine_stats_one_row CHECK (id),
  computed_at timestamptz NOT NULL,
  stats jsonb NOT NULL
);

ALTER TABLE integration_ops.engine_stats ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE integration_ops.engine_stats FROM PUBLIC;
GRANT SELECT ON TABLE integration_ops.engine_stats TO service_role;
DROP POLICY IF EXISTS engine_stats_service_role_read ON integration_ops.engine_stats;
CREATE POLICY engine_stats_service_role_read ON integration_ops.engine_stats
  FOR SELECT TO service_role USING (true);

COMMENT ON TABLE integration_ops.engine_stats IS
  'One row: the engine''s figures of the last 24 hours as of computed_at (runs_24h, drift_24h, workers_1h), written every minute by integration_ops.refresh_engine_stats(), read by public.get_engine_status() while at most settings.engine_stats_max_age old.';
COMMENT ON COLUMN integration_ops.engine_stats.computed_at IS
  'The clock time the figures were computed at (get_engine_status() reports it as as_of).';
COMMENT ON COLUMN integration_ops.engine_stats.stats IS
  'integration_ops.compute_engine_stats(computed_at): {runs_24h, drift_24h, workers_1h}.';

COMMIT;
