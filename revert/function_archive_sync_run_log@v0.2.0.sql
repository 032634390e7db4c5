-- Revert integration-sync:function_archive_sync_run_log from pg (back to the 0.1 definition)
-- Move finished runs older than settings.run_log_retention to the archive, in batches of
-- settings.archive_batch_size rows per statement. The manual-trigger audit is never touched.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.archive_sync_run_log()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_retention interval;
  v_batch integer;
  v_moved integer;
  v_total integer := 0;
BEGIN
  SELECT s.run_log_retention, s.archive_batch_size INTO v_retention, v_batch
    FROM integration_ops.settings AS s;

  LOOP
    WITH batch AS (
      SELECT r.id
        FROM public.sync_run_log AS r
       WHERE r.ended_at IS NOT NULL
         AND r.ended_at < now() - v_retention
         AND r.status IN ('completed', 'failed', 'cancelled')
       ORDER BY r.ended_at
       LIMIT v_batch
         FOR UPDATE SKIP LOCKED
    ), moved AS (
      DELETE FROM public.sync_run_log AS r
       USING batch
       WHERE r.id = batch.id
      RETURNING r.*
    )
    INSERT INTO integration_ops.sync_run_log_archive (
      id, org_id, integration_type, status, triggered_by, triggered_by_user_id, created_at,
      scheduled_for, idempotency_key, started_at, ended_at, records_processed, records_failed,
      error_code, error_message, worker_id, heartbeat_at, duration_seconds, drift_seconds,
      net_request_id)
    SELECT m.id, m.org_id, m.integration_type, m.status, m.triggered_by, m.triggered_by_user_id,
           m.created_at, m.scheduled_for, m.idempotency_key, m.started_at, m.ended_at,
           m.records_processed, m.records_failed, m.error_code, m.error_message, m.worker_id,
           m.heartbeat_at, m.duration_seconds, m.drift_seconds, m.net_request_id
      FROM moved AS m
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    v_total := v_total + v_moved;
    EXIT WHEN v_moved < v_batch;
  END LOOP;
  RETURN v_total;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.archive_sync_run_log() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.archive_sync_run_log() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.archive_sync_run_log() IS
  'Move finished runs whose ended_at is older than settings.run_log_retention to integration_ops.sync_run_log_archive, settings.archive_batch_size rows per statement; returns the number moved. Run daily by pg_cron (integration_archive_sync_run_log). Never touches sync_trigger_audit.';

COMMIT;
