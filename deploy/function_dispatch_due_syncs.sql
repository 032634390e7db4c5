-- Deploy integration-sync:function_dispatch_due_syncs to pg
-- requires: function_dispatch_due_syncs@v0.2.0 function_dispatch_sync_batch
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: one call handles ONE bounded batch (integration_ops.dispatch_sync_batch(), which
-- see); the contract's JSON {triggered, skipped, failed, run_ids} is unchanged. The pg_cron
-- procedure integration_ops.dispatch_all_due_syncs() repeats batches, committing in
-- between, until nothing is due.
-- 0.3: the result keeps the contract's keys {triggered, skipped, failed, run_ids}; periods the catch-up
-- bound skipped are rows of status skipped (and get_engine_status().runs_24h.skipped).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.dispatch_due_syncs()
RETURNS jsonb
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT integration_ops.dispatch_sync_batch() - 'more' - 'skipped_periods'
$$;

REVOKE ALL ON FUNCTION integration_ops.dispatch_due_syncs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.dispatch_due_syncs() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.dispatch_due_syncs() IS
  'Worker RPC: dispatch one bounded batch (settings.dispatch_batch_size) of due pairs: one pending run per pair for its oldest due period (FOR UPDATE SKIP LOCKED + the pair advisory lock; idempotency_key org:type:period); next_sync_at advances one period only where that period''s run exists, so no period is lost and missed periods replay in order; wakes delivery. Returns {triggered, skipped, failed, run_ids}. The pg_cron job calls dispatch_all_due_syncs(), which repeats batches until nothing is due.';

COMMIT;
