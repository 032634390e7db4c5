-- Deploy integration-sync:table_integration_health_history to pg
-- requires: table_integration_health_history@v0.2.0 index_integration_health_history_pair index_integration_health_history_checked_at
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   index integration_health_history_pair_idx -> index_integration_health_history_pair
--   index integration_health_history_checked_at_idx -> index_integration_health_history_checked_at
-- The released scripts: deploy/table_integration_health_history@v0.2.0.sql (frozen); a
-- deploy runs them first, so every object named here exists before this rework, which
-- restates only what is this change's own. It also holds the table's autovacuum settings,
-- which index_integration_health_history_trend set in 0.2.
-- Bounded per-pair history of health results for trend charts (DESIGN §7). Application
-- code never writes it: the trigger on integration_health_status copies results and
-- prunes to settings.history_cap; integration_ops.cleanup_health_history drops rows
-- older than settings.history_retention.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The table as released: a no-op wherever this rework runs (the table exists).
CREATE TABLE IF NOT EXISTS public.integration_health_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id uuid NOT NULL,
  integration_type text NOT NULL REFERENCES public.integration_types (integration_type),
  status text NOT NULL CHECK (status IN ('healthy', 'degraded', 'unreachable')),
  latency_ms integer CHECK (latency_ms >= 0),
  checked_at timestamptz NOT NULL,
  error_message text CHECK (char_length(error_message) <= 2000),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE public.integration_health_history ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.integration_health_history FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON TABLE public.integration_health_history TO authenticated;

-- service_role reads and may delete (data removal); it never inserts or updates:
-- history is written only by the trigger, so it cannot be forged.
GRANT SELECT, DELETE ON TABLE public.integration_health_history TO service_role;

-- Exactly the policy of integration_health_status.
DROP POLICY IF EXISTS integration_health_history_read ON public.integration_health_history;
CREATE POLICY integration_health_history_read ON public.integration_health_history
  FOR SELECT TO authenticated
  USING (
    (SELECT integration_ops.is_global_admin())
    OR (
      org_id = (SELECT integration_ops.jwt_org_id())
      AND (SELECT integration_ops.jwt_org_role()) = 'admin'
    )
  );

COMMENT ON TABLE public.integration_health_history IS
  'Health results per pair, newest settings.history_cap kept (default 96 = 24 h at 15-minute polling), none older than settings.history_retention. Written only by the trigger on integration_health_status. Same read policy as integration_health_status.';
COMMENT ON COLUMN public.integration_health_history.checked_at IS 'When the result was taken (copied from integration_health_status.checked_at).';
COMMENT ON COLUMN public.integration_health_history.recorded_at IS 'When the history row was written.';

-- Autovacuum of this table (set by index_integration_health_history_trend in 0.2): an
-- index-only scan skips the heap only on pages the visibility map marks all-visible, and
-- the rows a trend reads are the newest. With the default scale factors (0.2) autovacuum
-- would visit a 19 M-row history only after ~4 M inserts or deletes (hours at 200,000
-- pairs); at 0.02 it follows the inserts within the hour. Table-level settings of this
-- table only (no database-wide default changes).
ALTER TABLE public.integration_health_history SET (
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02
);

COMMIT;
