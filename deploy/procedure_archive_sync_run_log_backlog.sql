-- Deploy integration-sync:procedure_archive_sync_run_log_backlog to pg
-- requires: function_archive_sync_run_log
-- What the daily pg_cron job calls: archive_sync_run_log() batch after batch with a COMMIT
-- after each, until a batch moves fewer rows than the batch size. No transaction holds
-- more than one batch, however large the backlog.
--
-- A procedure that commits cannot run with definer rights or carry SET: it runs as its
-- caller (the pg_cron job's owner), qualifies every name and operator, and no API role may
-- execute it. CALL it outside an explicit transaction block.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE PROCEDURE integration_ops.archive_sync_run_log_backlog()
LANGUAGE plpgsql
AS $$
DECLARE
  v_batch integer;
  v_moved integer;
BEGIN
  SELECT s.archive_batch_size INTO v_batch FROM integration_ops.settings_row() AS s;
  LOOP
    v_moved := integration_ops.archive_sync_run_log();
    COMMIT;
    EXIT WHEN v_moved OPERATOR(pg_catalog.<) v_batch;
  END LOOP;
END
$$;

REVOKE ALL ON PROCEDURE integration_ops.archive_sync_run_log_backlog() FROM PUBLIC;
COMMENT ON PROCEDURE integration_ops.archive_sync_run_log_backlog() IS
  'pg_cron (daily): archive_sync_run_log() batch after batch with a COMMIT after each, until a batch is not full. Runs as its caller (the cron job owner); no API role may execute it.';

COMMIT;
