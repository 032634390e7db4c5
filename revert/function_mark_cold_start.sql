-- Revert integration-sync:function_mark_cold_start from pg: restore the 0.2 definition
-- (created by function_mark_cold_start), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP FUNCTION IF EXISTS integration_ops.mark_cold_start(uuid, text, text, boolean);

CREATE OR REPLACE FUNCTION integration_ops.mark_cold_start(run_id uuid, error_code text, worker_id text)
RETURNS TABLE (cold_start boolean, warmup_url text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_run public.sync_run_log;
  v_since timestamptz;
  v_warmup_url text;
BEGIN
  IF mark_cold_start.run_id IS NULL OR mark_cold_start.worker_id IS NULL THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'run_id and worker_id are required.');
  END IF;
  SELECT r.* INTO v_run FROM public.sync_run_log AS r WHERE r.id = mark_cold_start.run_id FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM integration_ops.raise_error('run_not_found', format('No run with id %s.', mark_cold_start.run_id));
  END IF;
  IF v_run.status <> 'running' OR v_run.worker_id IS DISTINCT FROM mark_cold_start.worker_id THEN
    PERFORM integration_ops.raise_error('invalid_transition',
      format('Run %s is not running on worker %s.', v_run.id, left(mark_cold_start.worker_id, 100)));
  END IF;
  SELECT oi.warmup_url INTO v_warmup_url
    FROM public.organization_integrations AS oi
   WHERE oi.org_id = v_run.org_id AND oi.integration_type = v_run.integration_type;

  IF v_run.cold_start THEN  -- asked again (a report retried): same answer
    RETURN QUERY SELECT true, v_warmup_url;
    RETURN;
  END IF;
  v_since := v_run.started_at - (integration_ops.settings_row()).cold_start_idle;
  IF v_run.triggered_by <> 'scheduler'
     OR coalesce(mark_cold_start.error_code, '') NOT IN ('timeout', 'connection_error')
     OR EXISTS (SELECT FROM public.sync_run_log AS r
                 WHERE r.org_id = v_run.org_id AND r.integration_type = v_run.integration_type
                   AND r.status = 'completed' AND r.ended_at >= v_since AND r.id <> v_run.id)
     OR EXISTS (SELECT FROM integration_ops.integration_warmups AS w
                 WHERE w.org_id = v_run.org_id AND w.integration_type = v_run.integration_type
                   AND w.answered_at >= v_since) THEN
    RETURN QUERY SELECT false, v_warmup_url;
    RETURN;
  END IF;
  UPDATE public.sync_run_log AS r SET cold_start = true WHERE r.id = v_run.id;
  RETURN QUERY SELECT true, v_warmup_url;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.mark_cold_start(uuid,text,text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.mark_cold_start(uuid,text,text) FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION integration_ops.mark_cold_start(uuid,text,text) TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.mark_cold_start(uuid, text, text) IS
  'Worker RPC (DESIGN §12 cold starts): after the call of a running run held by worker_id failed with error_code. A scheduler run failing with timeout/connection_error whose pair had no completed run and no answered warm-up within settings.cold_start_idle before the run started is a cold start: sets sync_run_log.cold_start and returns (true, warmup_url); the worker warms, retries once with the same Idempotency-Key and reports the retry''s outcome. Otherwise (false, warmup_url) and nothing changes. run_not_found; invalid_transition when the run is not running on that worker.';

COMMIT;
