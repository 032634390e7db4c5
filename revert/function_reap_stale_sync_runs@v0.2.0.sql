-- Deploy integration-sync:function_reap_stale_sync_runs to pg
-- requires: function_finish_sync_run table_settings role_integration_worker
-- DESIGN §8: running runs without a heartbeat for the stale timeout -> failed worker_lost.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.reap_stale_sync_runs()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_stale interval;
  v_run record;
  v_count integer := 0;
BEGIN
  SELECT s.stale_run_timeout INTO v_stale FROM integration_ops.settings AS s;
  FOR v_run IN
    UPDATE public.sync_run_log AS r
       SET status = 'failed', ended_at = now(), error_code = 'worker_lost',
           error_message = format('No heartbeat from %s for more than %s: the run was abandoned.',
                                  coalesce(r.worker_id, 'its worker'), v_stale)
     WHERE r.status = 'running'
       AND coalesce(r.heartbeat_at, r.started_at) < now() - v_stale
    RETURNING r.org_id, r.integration_type, r.error_message
  LOOP
    v_count := v_count + 1;
    PERFORM integration_ops.record_sync_outcome_health(v_run.org_id, v_run.integration_type, false, v_run.error_message);
  END LOOP;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.reap_stale_sync_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.reap_stale_sync_runs() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.reap_stale_sync_runs() IS
  'Worker RPC / pg_cron: running runs whose heartbeat (or start) is older than settings.stale_run_timeout -> failed with error_code worker_lost (one guarded UPDATE); returns how many. Also ends pg_net runs whose response never came.';

COMMIT;
