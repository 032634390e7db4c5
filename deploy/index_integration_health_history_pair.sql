-- Deploy integration-sync:index_integration_health_history_pair to pg
-- requires: table_integration_health_history index_integration_health_history_trend
-- 0.3 (issue 25): one object, one change. Until 0.2 the index
-- integration_health_history_pair_idx was created by table_integration_health_history
-- (deploy/table_integration_health_history@v0.2.0.sql) and rebuilt covering by
-- index_integration_health_history_trend (deploy/index_integration_health_history_trend@v0.2.0.sql,
-- issue 16). This is its definition as that change left it, so a database that has it
-- keeps it as it is.
-- Trend reads and the trigger's prune: newest first per pair, ties by id (the order the
-- cap is defined in), so both are one bounded index range scan. status and latency_ms are
-- included: get_health_trend is an index-only scan (a pair's history rows sit on scattered
-- heap pages).
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX (deploy scripts are transactions): the released scripts of
-- table_integration_health_history and index_integration_health_history_trend built it, so
-- IF NOT EXISTS makes this a no-op wherever this change is deployed.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS integration_health_history_pair_idx
  ON public.integration_health_history (org_id, integration_type, checked_at DESC, id DESC)
  INCLUDE (status, latency_ms);
COMMENT ON INDEX public.integration_health_history_pair_idx IS
  'A pair''s history newest first, ties by id: the trigger''s prune to history_cap and get_health_trend (an index-only scan: status and latency_ms are included).';
COMMIT;
