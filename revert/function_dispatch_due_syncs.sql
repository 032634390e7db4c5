-- Revert integration-sync:function_dispatch_due_syncs from pg: restore the 0.2 definition
-- (created by function_dispatch_due_syncs), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.dispatch_due_syncs()
RETURNS jsonb
LANGUAGE sql
VOLATILE
SECURITY DEFINER
SET search_path = ''
AS $$
  SELECT integration_ops.dispatch_sync_batch() - 'more'
$$;

REVOKE ALL ON FUNCTION integration_ops.dispatch_due_syncs() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.dispatch_due_syncs() FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION integration_ops.dispatch_due_syncs() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.dispatch_due_syncs() IS
  'Worker RPC: dispatch one bounded batch (settings.dispatch_batch_size) of due pairs: one pending run per pair for its oldest due period (FOR UPDATE SKIP LOCKED + the pair advisory lock; idempotency_key org:type:period); next_sync_at advances one period only where that period''s run exists, so no period is lost and missed periods replay in order; wakes delivery. Returns {triggered, skipped, failed, run_ids}. The pg_cron job calls dispatch_all_due_syncs(), which repeats batches until nothing is due.';

COMMIT;
