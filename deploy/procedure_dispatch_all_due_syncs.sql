-- Deploy integration-sync:procedure_dispatch_all_due_syncs to pg
-- requires: function_dispatch_sync_batch
-- What the every-minute pg_cron job calls: dispatch_sync_batch() batch after batch, with a
-- COMMIT after each (locks of one batch only; each batch's runs are visible to workers and
-- woken at once), until a batch was not full or settings.dispatch_time_budget is spent —
-- so a top-of-hour herd of any size is dispatched within its minute, never over ten ticks.
--
-- A procedure that commits cannot run with definer rights or carry SET: it runs as its
-- caller (the pg_cron job's owner), qualifies every name and operator, and no API role may
-- execute it. CALL it outside an explicit transaction block.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE PROCEDURE integration_ops.dispatch_all_due_syncs()
LANGUAGE plpgsql
AS $$
DECLARE
  v_started timestamptz := pg_catalog.clock_timestamp();
  v_budget interval;
  v_result jsonb;
BEGIN
  SELECT s.dispatch_time_budget INTO v_budget FROM integration_ops.settings_row() AS s;
  LOOP
    v_result := integration_ops.dispatch_sync_batch();
    COMMIT;
    EXIT WHEN NOT coalesce((v_result OPERATOR(pg_catalog.->>) 'more')::boolean, false);
    EXIT WHEN pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) v_started OPERATOR(pg_catalog.>) v_budget;
  END LOOP;
END
$$;

REVOKE ALL ON PROCEDURE integration_ops.dispatch_all_due_syncs() FROM PUBLIC;
COMMENT ON PROCEDURE integration_ops.dispatch_all_due_syncs() IS
  'pg_cron (every minute): integration_ops.dispatch_sync_batch() (the body of dispatch_due_syncs) batch after batch with a COMMIT after each, until a batch is not full or settings.dispatch_time_budget is spent. Runs as its caller (the cron job owner); no API role may execute it.';

COMMIT;
