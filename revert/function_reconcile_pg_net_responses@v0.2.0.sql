-- Revert integration-sync:function_reconcile_pg_net_responses from pg (back to the 0.1 definition)
-- Issue 8: finish runs delivered through pg_net from net._http_response. pg_net is looked
-- up at run time (dynamic SQL), so this deploys and returns 0 without it.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.reconcile_pg_net_responses()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_responses regclass := to_regclass('net._http_response');
  -- scalar targets: the row comes from dynamic SQL (pg_net may be absent)
  v_run_id uuid;
  v_status_code integer;
  v_content text;
  v_timed_out boolean;
  v_error_msg text;
  v_json jsonb;
  v_valid boolean;
  v_count integer := 0;
BEGIN
  IF v_responses IS NULL THEN
    RETURN 0;
  END IF;

  FOR v_run_id, v_status_code, v_content, v_timed_out, v_error_msg IN EXECUTE format(
    'SELECT r.id, h.status_code::integer, h.content::text, h.timed_out::boolean, h.error_msg::text
       FROM public.sync_run_log AS r
       JOIN %s AS h ON h.id = r.net_request_id
      WHERE r.status = ''running'' AND r.net_request_id IS NOT NULL
      ORDER BY r.started_at, r.id
        FOR UPDATE OF r SKIP LOCKED', v_responses)
  LOOP
    IF coalesce(v_timed_out, false) THEN
      PERFORM integration_ops.finish_sync_run(v_run_id, 'failed', NULL, NULL, 'timeout',
        coalesce(v_error_msg, 'The pg_net request timed out.'));
    ELSIF v_error_msg IS NOT NULL OR v_status_code IS NULL THEN
      PERFORM integration_ops.finish_sync_run(v_run_id, 'failed', NULL, NULL, 'connection_error',
        coalesce(v_error_msg, 'pg_net returned no status code.'));
    ELSIF v_status_code BETWEEN 200 AND 299 THEN
      v_valid := true;
      v_json := '{}'::jsonb;
      IF nullif(btrim(coalesce(v_content, '')), '') IS NOT NULL THEN
        BEGIN
          v_json := v_content::jsonb;
        EXCEPTION WHEN others THEN
          v_valid := false;
        END;
      END IF;
      v_valid := v_valid AND jsonb_typeof(v_json) = 'object'
        AND coalesce(jsonb_typeof(v_json -> 'records_processed'), 'number') = 'number'
        AND coalesce(jsonb_typeof(v_json -> 'records_failed'), 'number') = 'number';
      IF v_valid THEN
        v_valid := coalesce((v_json ->> 'records_processed')::numeric, 0) BETWEEN 0 AND 2147483647
               AND coalesce((v_json ->> 'records_failed')::numeric, 0) BETWEEN 0 AND 2147483647
               AND coalesce((v_json ->> 'records_processed')::numeric, 0) % 1 = 0
               AND coalesce((v_json ->> 'records_failed')::numeric, 0) % 1 = 0;
      END IF;
      IF v_valid THEN
        PERFORM integration_ops.finish_sync_run(v_run_id, 'completed',
          coalesce((v_json ->> 'records_processed')::integer, 0),
          coalesce((v_json ->> 'records_failed')::integer, 0), NULL, NULL);
      ELSE
        PERFORM integration_ops.finish_sync_run(v_run_id, 'failed', NULL, NULL, 'invalid_response',
          'The endpoint answered ' || v_status_code || ' without a JSON object of non-negative integer counts: '
          || left(coalesce(v_content, ''), 500));
      END IF;
    ELSE
      PERFORM integration_ops.finish_sync_run(v_run_id, 'failed', NULL, NULL, 'http_' || v_status_code,
        'The endpoint answered HTTP ' || v_status_code || ': ' || left(coalesce(v_content, ''), 1000));
    END IF;
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.reconcile_pg_net_responses() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.reconcile_pg_net_responses() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.reconcile_pg_net_responses() IS
  'Worker RPC / pg_cron: finish running pg_net-delivered runs from net._http_response: 2xx with a JSON object (or empty body) -> completed with records_processed/records_failed (default 0), other 2xx -> failed invalid_response, non-2xx -> failed http_<status>, timed_out -> failed timeout, error_msg -> failed connection_error (messages sanitised). Runs without a response stay running (the stale reaper ends them). Returns the number finished; 0 without pg_net.';

COMMIT;
