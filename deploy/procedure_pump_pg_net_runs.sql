-- Deploy integration-sync:procedure_pump_pg_net_runs to pg
-- requires: function_reconcile_pg_net_responses function_send_pg_net_runs table_settings_engine_tunables
-- 0.3 (issues 22, 24): the pg_net side of the engine, every minute (pg_cron job
-- integration_reconcile_pg_net_responses): finish answered runs (reconcile, up to 50 per
-- transaction), then send due pending pg_net runs (up to 50 per transaction: retries whose
-- backoff is over, runs a type's cap held back, a herd's overflow), committing after each
-- step, until both are drained or settings.dispatch_time_budget is spent. Then one NOTIFY
-- when worker runs are waiting to be claimed (retries whose backoff ended between polls).
-- A procedure that commits cannot be SECURITY DEFINER nor carry a SET clause (DESIGN §4):
-- it runs as the pg_cron job's owner, qualifies every name, and no API role may execute
-- it (docs/supabase.md names it among the advisor's expected search_path findings).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE PROCEDURE integration_ops.pump_pg_net_runs()
LANGUAGE plpgsql
AS $$
DECLARE
  v_started timestamptz := pg_catalog.clock_timestamp();
  v_budget interval;
  v_reconciled integer;
  v_sent integer;
BEGIN
  SELECT s.dispatch_time_budget INTO v_budget FROM integration_ops.settings_row() AS s;
  LOOP
    v_reconciled := integration_ops.reconcile_pg_net_responses();
    COMMIT;
    SELECT s.handled INTO v_sent FROM integration_ops.send_pg_net_runs(NULL) AS s;
    COMMIT;
    EXIT WHEN v_reconciled OPERATOR(pg_catalog.<) 50 AND v_sent OPERATOR(pg_catalog.<) 50;
    EXIT WHEN pg_catalog.clock_timestamp() OPERATOR(pg_catalog.-) v_started OPERATOR(pg_catalog.>) v_budget;
  END LOOP;
  IF EXISTS (SELECT FROM public.sync_run_log AS r
              WHERE r.status OPERATOR(pg_catalog.=) 'pending' AND r.not_before IS NOT NULL
                AND r.not_before OPERATOR(pg_catalog.<=) integration_ops.clock()) THEN
    PERFORM pg_catalog.pg_notify('integration_sync_wakeup', '');
  END IF;
END
$$;

REVOKE ALL ON PROCEDURE integration_ops.pump_pg_net_runs() FROM PUBLIC;
COMMENT ON PROCEDURE integration_ops.pump_pg_net_runs() IS
  'pg_cron (integration_reconcile_pg_net_responses, every minute): reconcile pg_net responses and send due pending pg_net runs, 50 per transaction each, committing in between, within settings.dispatch_time_budget; then NOTIFY the workers when retries are due. Runs as the job owner; no API role may execute it.';

COMMIT;
