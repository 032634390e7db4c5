-- Deploy integration-sync:function_reconcile_pg_net_responses to pg
-- requires: function_reconcile_pg_net_responses@v0.1.0 function_finish_sync_run function_classify_sync_response
-- 0.2: every response is classified by integration_ops.classify_sync_response (the rule the
-- worker shares) and handled on its own: a response that cannot be handled (a body the
-- old cast choked on, a run that changed meanwhile) is rolled back alone and reported with
-- a WARNING; every other run is still finished. pg_net is looked up at run time (dynamic
-- SQL), so this deploys and returns 0 without it.
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
  v_run_id uuid;
  v_status_code integer;
  v_content text;
  v_timed_out boolean;
  v_error_msg text;
  v_class record;
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
    BEGIN
      v_class := integration_ops.classify_sync_response(
        v_status_code, v_content,
        CASE WHEN coalesce(v_timed_out, false) THEN 'timeout'
             WHEN v_error_msg IS NOT NULL OR v_status_code IS NULL THEN 'connection_error' END);
      IF v_class.outcome = 'completed' THEN
        PERFORM integration_ops.finish_sync_run(v_run_id, 'completed',
          v_class.records_processed, v_class.records_failed, NULL, NULL);
      ELSE
        PERFORM integration_ops.finish_sync_run(v_run_id, 'failed', NULL, NULL, v_class.error_code,
          CASE WHEN v_class.error_code IN ('timeout', 'connection_error')
               THEN coalesce(v_error_msg, v_class.message) ELSE v_class.message END);
      END IF;
      v_count := v_count + 1;
    EXCEPTION WHEN others THEN
      RAISE WARNING 'reconcile_pg_net_responses: run % left running (the reaper ends it): % %',
        v_run_id, SQLSTATE, left(SQLERRM, 200);
    END;
  END LOOP;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.reconcile_pg_net_responses() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.reconcile_pg_net_responses() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.reconcile_pg_net_responses() IS
  'Worker RPC / pg_cron: finish running pg_net-delivered runs from net._http_response, each classified by integration_ops.classify_sync_response (the rule the worker shares) and handled on its own: one response that cannot be handled is rolled back alone with a WARNING. Runs without a response stay running (the stale reaper ends them). Returns the number finished; 0 without pg_net.';

COMMIT;
