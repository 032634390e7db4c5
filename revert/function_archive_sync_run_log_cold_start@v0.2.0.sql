-- Revert integration-sync:function_archive_sync_run_log_cold_start from pg
-- Restores the function_archive_sync_run_log definition (without cold_start).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.archive_sync_run_log()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_settings integration_ops.settings := integration_ops.settings_row();
  v_now timestamptz := integration_ops.clock();
  v_moved integer;
BEGIN
  WITH batch AS (
    SELECT r.*
      FROM public.sync_run_log AS r
     WHERE r.ended_at IS NOT NULL
       AND r.ended_at < v_now - v_settings.run_log_retention
       AND r.status IN ('completed', 'failed', 'cancelled')
     ORDER BY r.ended_at
     LIMIT v_settings.archive_batch_size
       FOR UPDATE SKIP LOCKED
  ), archived AS (
    INSERT INTO integration_ops.sync_run_log_archive AS a (
      id, org_id, integration_type, status, triggered_by, triggered_by_user_id, created_at, scheduled_for, idempotency_key, started_at, ended_at, records_processed, records_failed, error_code, error_message, worker_id, heartbeat_at, duration_seconds, drift_seconds, net_request_id, archived_at)
    SELECT b.id, b.org_id, b.integration_type, b.status, b.triggered_by, b.triggered_by_user_id, b.created_at, b.scheduled_for, b.idempotency_key, b.started_at, b.ended_at, b.records_processed, b.records_failed, b.error_code, b.error_message, b.worker_id, b.heartbeat_at, b.duration_seconds, b.drift_seconds, b.net_request_id, v_now
      FROM batch AS b
    ON CONFLICT (id) DO UPDATE SET org_id = EXCLUDED.org_id, integration_type = EXCLUDED.integration_type, status = EXCLUDED.status, triggered_by = EXCLUDED.triggered_by, triggered_by_user_id = EXCLUDED.triggered_by_user_id, created_at = EXCLUDED.created_at, scheduled_for = EXCLUDED.scheduled_for, idempotency_key = EXCLUDED.idempotency_key, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, records_processed = EXCLUDED.records_processed, records_failed = EXCLUDED.records_failed, error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message, worker_id = EXCLUDED.worker_id, heartbeat_at = EXCLUDED.heartbeat_at, duration_seconds = EXCLUDED.duration_seconds, drift_seconds = EXCLUDED.drift_seconds, net_request_id = EXCLUDED.net_request_id, archived_at = EXCLUDED.archived_at
    RETURNING a.id
  )
  DELETE FROM public.sync_run_log AS r
   USING archived AS a
   WHERE r.id = a.id;
  GET DIAGNOSTICS v_moved = ROW_COUNT;
  RETURN v_moved;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.archive_sync_run_log() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.archive_sync_run_log() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.archive_sync_run_log() IS
  'One batch of archival: up to settings.archive_batch_size finished runs whose ended_at is older than settings.run_log_retention move to integration_ops.sync_run_log_archive (an id already archived is overwritten by the live row, never dropped); returns the number moved. The daily pg_cron procedure archive_sync_run_log_backlog() repeats it with commits between batches. Never touches sync_trigger_audit.';

COMMIT;
