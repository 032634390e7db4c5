-- Deploy integration-sync:function_reconcile_pg_net_responses to pg
-- requires: function_reconcile_pg_net_responses@v0.2.0 index_sync_run_log_net_request function_finish_sync_run
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: every response is classified by integration_ops.classify_sync_response (the rule the
-- worker shares) and handled on its own: a response that cannot be handled (a body the
-- old cast choked on, a run that changed meanwhile) is rolled back alone and reported with
-- a WARNING; every other run is still finished. pg_net is looked up at run time (dynamic
-- SQL), so this deploys and returns 0 without it.
-- 0.3 (issues 22, 24): O(new responses): only responses created since the oldest running
-- pg_net run are read (pg_net's index on `created`; it does not index `id`, and keeps six
-- hours of responses), joined to their run through sync_run_log_net_request_idx; at most 50
-- per call (one sub-transaction each: a transaction stays below the 64 Postgres tracks
-- cheaply; the pg_cron job loops, committing in between); the response's Retry-After is
-- passed to the retry of a transient failure.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.reconcile_pg_net_responses()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c_max CONSTANT integer := 50;
  v_responses regclass := to_regclass('net._http_response');
  v_since timestamptz;
  v_run_id uuid;
  v_status_code integer;
  v_content text;
  v_timed_out boolean;
  v_error_msg text;
  v_retry_after text;
  v_class record;
  v_count integer := 0;
BEGIN
  IF v_responses IS NULL THEN
    RETURN 0;
  END IF;
  -- Only responses newer than the oldest running pg_net run can be ours: a range of pg_net's
  -- index on `created` (it keeps hours of responses and does not index `id`).
  SELECT min(r.started_at) INTO v_since
    FROM public.sync_run_log AS r
   WHERE r.status = 'running' AND r.net_request_id IS NOT NULL;
  IF v_since IS NULL THEN
    RETURN 0;
  END IF;
  FOR v_run_id, v_status_code, v_content, v_timed_out, v_error_msg, v_retry_after IN EXECUTE format(
    'SELECT r.id, h.status_code::integer, h.content::text, h.timed_out::boolean, h.error_msg::text,
            (SELECT e.value FROM pg_catalog.jsonb_each_text(h.headers::jsonb) AS e
              WHERE pg_catalog.lower(e.key) = ''retry-after'' LIMIT 1)
       FROM %s AS h
       JOIN public.sync_run_log AS r
         ON r.net_request_id = h.id AND r.status = ''running'' AND r.net_request_id IS NOT NULL
      WHERE h.created >= $1
      ORDER BY h.created, r.id
      LIMIT $2
        FOR UPDATE OF r SKIP LOCKED', v_responses)
    USING v_since - interval '1 second', c_max
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
               THEN coalesce(v_error_msg, v_class.message) ELSE v_class.message END,
          NULL, v_retry_after);
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
GRANT EXECUTE ON FUNCTION integration_ops.reconcile_pg_net_responses() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.reconcile_pg_net_responses() IS
  'Worker RPC / pg_cron: finish up to 50 running pg_net-delivered runs from net._http_response (only responses newer than the oldest running pg_net run: a range of pg_net''s created index), each classified by integration_ops.classify_sync_response (the rule the worker shares) and handled in its own sub-transaction: one response that cannot be handled is rolled back alone with a WARNING. A transient failure gets its next attempt, after the response''s Retry-After when it has one. Runs without a response stay running (the stale reaper ends them). Returns the number finished; 0 without pg_net. The pg_cron job calls it until fewer than 50 are left.';

COMMIT;
