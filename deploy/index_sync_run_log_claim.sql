-- Deploy integration-sync:index_sync_run_log_claim to pg
-- requires: table_sync_run_log_retries
-- 0.3 (issue 22): the claim queue per integration type, ordered by the moment a run may be
-- claimed (a retry's not_before, else its creation). claim_sync_runs reads, for each type,
-- only the head of this index up to what the type may take (its cap, the claim's size):
-- O(claimed), however many runs of a capped type wait and however many retries wait for
-- their backoff. Replaces sync_run_log_pending_idx for the claim (the pg_net wake-up and
-- the stale-pending report keep using that one).
BEGIN;
SET LOCAL lock_timeout = '5s';
-- A plain CREATE INDEX: deploy scripts are transactions (CONCURRENTLY cannot run in one);
-- it is partial on pending runs, which are few whatever the size of the table.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX IF NOT EXISTS sync_run_log_claim_idx
  ON public.sync_run_log (integration_type, (coalesce(not_before, created_at)), id)
  WHERE status = 'pending';
COMMENT ON INDEX public.sync_run_log_claim_idx IS
  'Pending runs per type, by the time they may be claimed (coalesce(not_before, created_at)).';
COMMIT;
