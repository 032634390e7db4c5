-- Deploy integration-sync:function_lock_pair to pg
-- requires: function_sync_pair_lock_key
-- 0.3 (issue 22, DESIGN §13 "One pair lock"): the one lock of an (org, integration type)
-- pair, taken by every path that creates, cancels, re-routes or retries runs: the
-- dispatcher (as a try-lock: it skips a busy pair), the manual trigger, insert_run_log,
-- retry_sync_run, the retry after a failure, the reaper and the triggers on
-- organization_integrations (disable, delete, delivery switch). A creation path checks
-- `enabled` after taking it. Transaction-scoped; taking it twice in one transaction is
-- harmless. Key: integration_ops.sync_pair_lock_key (unchanged since 0.1).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.lock_pair(org_id uuid, integration_type text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock(
    integration_ops.sync_pair_lock_key(lock_pair.org_id, lock_pair.integration_type));
END
$$;

REVOKE ALL ON FUNCTION integration_ops.lock_pair(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.lock_pair(uuid, text) IS
  'Internal: the (org, integration type) pair''s transaction lock, taken by every path that creates, cancels, re-routes or retries runs (the dispatcher try-locks the same key).';

COMMIT;
