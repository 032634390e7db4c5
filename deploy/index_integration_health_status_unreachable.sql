-- Deploy integration-sync:index_integration_health_status_unreachable to pg
-- requires: table_integration_health_status
-- The unreachable pairs, most consecutive failures first: the `failing` list of
-- public.get_engine_status() reads its first rows instead of filtering every status row
-- (one per configured pair). Partial: only unreachable rows are in it, so a health check of
-- a healthy pair writes no entry.
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX: deploy scripts are transactions (CONCURRENTLY cannot run in one);
-- the table has one row per configured pair, and the partial index is built from one pass
-- over it (about 0.1 s at 200,000 pairs), under lock_timeout.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS integration_health_status_unreachable_idx
  ON public.integration_health_status (consecutive_failures DESC, org_id, integration_type)
  WHERE status = 'unreachable';
COMMIT;
