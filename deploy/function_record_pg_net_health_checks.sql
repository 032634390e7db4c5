-- Deploy integration-sync:function_record_pg_net_health_checks to pg
-- requires: table_pg_net_health_probes function_classify_health_probe function_record_health_check function_settings_row function_raise_error
-- 0.3 (issue 23, DESIGN §13 "Adoption"): the answers to the health probes Postgres sent
-- through pg_net (integration_ops.send_pg_net_health_checks), read from net._http_response
-- and recorded with integration_ops.record_health_check, which keeps the failure count, the
-- backoff and passive mode exactly as for the worker's checks (its rules are not repeated
-- here). Called by the pg_cron job integration_pg_net_health_checks before the sender.
--
-- Reads only new responses: net._http_response keeps pg_net's TTL (6 h) of every request of
-- the database and has no index on id, only on created. The read is a range of that index,
-- from the oldest open probe's sent_at less one minute (pg_net stamps created with the start
-- of its worker's batch, which can precede our clock_timestamp() by a little), joined to
-- integration_ops.pg_net_health_probes by request id. Open probes are kept short-lived (below),
-- so the range is minutes, never the whole table.
--
-- pg_net reports no duration: its created is the start of the worker's batch (measured on
-- pg_net 0.20.4: a 3-second answer and an immediate one carry the same created). So the
-- degraded threshold is enforced by pg_net's own timeout (curl's clock), and latency_ms is
-- what pg_net lets us see:
--   * stage 1 (timeout = degraded_latency_ms) answered: classified by its status code
--     (classify_health_probe); latency_ms = created - sent_at in ms (the wait before pg_net's
--     worker took the request), at most the stage-1 timeout (curl proved the answer came
--     within it, so a longer wait is pg_net's queue, never the vendor's slowness).
--   * stage 1 timed out (below health_check_timeout): the row turns stage 2 and the sender
--     sends a second probe with timeout = health_check_timeout. Its answer: a 2xx/3xx is
--     degraded ("slow response: HTTP 200 after more than <threshold> ms"), other codes as
--     classified; latency_ms = the stage-1 timeout + the stage-2 measure (a lower bound).
--   * no answer (timeout, refused, other curl error): unreachable, latency_ms NULL.
--   * a sent probe with no response after its timeout + 5 minutes (pg_net's worker down, or
--     the response expired): unreachable, "timeout: no answer from pg_net …".
-- No sub-transaction per row: the inputs are validated here (status from the classifier,
-- latency >= 0, the pair's key from the probe row, whose foreign key keeps the type known),
-- so record_health_check can fail only for the whole database (settings row missing). At
-- most max_answers (1..1000) answers and as many expired probes per call.
-- pg_net is optional: net._http_response is looked up with to_regclass at run time; without
-- it this returns 0. Invoker rights: only the owner (pg_cron) runs it.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.record_pg_net_health_checks(max_answers integer DEFAULT 500)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_responses regclass := pg_catalog.to_regclass('net._http_response');
  v_health_ms integer;
  v_since timestamptz;
  v_org_id uuid;
  v_type text;
  v_stage integer;
  v_limit_ms integer;
  v_first_ms integer;
  v_timeout_ms integer;
  v_sent_at timestamptz;
  v_status_code integer;
  v_timed_out boolean;
  v_error_msg text;
  v_created timestamptz;
  v_row record;
  v_class record;
  v_timeout boolean;
  v_measured integer;
  v_latency integer;
  v_message text;
  v_count integer := 0;
BEGIN
  IF record_pg_net_health_checks.max_answers IS NULL
     OR record_pg_net_health_checks.max_answers NOT BETWEEN 1 AND 1000 THEN
    PERFORM integration_ops.raise_error('invalid_argument', 'max_answers must be between 1 and 1000.');
  END IF;
  IF v_responses IS NULL THEN
    RETURN 0;
  END IF;
  SELECT pg_catalog.min(p.sent_at) - interval '1 minute' INTO v_since
    FROM integration_ops.pg_net_health_probes AS p
   WHERE p.net_request_id IS NOT NULL;
  IF v_since IS NULL THEN
    RETURN 0;
  END IF;
  v_health_ms := LEAST(GREATEST(pg_catalog.ceil(pg_catalog.date_part('epoch',
                   (integration_ops.settings_row()).health_check_timeout) * 1000), 1), 2147483647)::integer;

  -- 1. Answered probes, oldest first.
  FOR v_org_id, v_type, v_stage, v_limit_ms, v_first_ms, v_timeout_ms, v_sent_at,
      v_status_code, v_timed_out, v_error_msg, v_created IN EXECUTE pg_catalog.format(
    'SELECT p.org_id, p.integration_type, p.stage, p.degraded_latency_ms, p.first_timeout_ms,
            p.timeout_ms, p.sent_at, r.status_code::integer AS status_code,
            r.timed_out::boolean AS timed_out, r.error_msg::text AS error_msg, r.created AS created
       FROM integration_ops.pg_net_health_probes AS p
       JOIN %s AS r ON r.id = p.net_request_id
      WHERE r.created >= $1
      ORDER BY p.sent_at, p.org_id, p.integration_type
      LIMIT $2
        FOR UPDATE OF p SKIP LOCKED', v_responses)
    USING v_since, record_pg_net_health_checks.max_answers
  LOOP
    v_timeout := v_status_code IS NULL
                 AND (coalesce(v_timed_out, false) OR v_error_msg ILIKE 'timeout%');
    -- The threshold probe timed out: a second probe tells slow from down.
    IF v_timeout AND v_stage = 1 AND v_first_ms < v_health_ms THEN
      UPDATE integration_ops.pg_net_health_probes AS p
         SET stage = 2, net_request_id = NULL, sent_at = NULL
       WHERE p.org_id = v_org_id AND p.integration_type = v_type;
      CONTINUE;
    END IF;

    v_measured := LEAST(GREATEST(pg_catalog.floor(pg_catalog.date_part('epoch',
                    v_created - v_sent_at) * 1000), 0), v_timeout_ms)::integer;
    IF v_status_code IS NULL THEN
      v_latency := NULL;
    ELSIF v_stage = 1 THEN
      v_latency := LEAST(v_measured, v_first_ms);
    ELSE
      v_latency := v_first_ms + v_measured;
    END IF;
    -- Stage 2: the first probe already ran past the threshold, so an answer is slow.
    SELECT c.status, c.error_message INTO v_class
      FROM integration_ops.classify_health_probe(
             v_status_code,
             CASE WHEN v_stage = 2 THEN GREATEST(v_latency, v_limit_ms + 1) ELSE v_latency END,
             v_limit_ms, v_timed_out, v_error_msg) AS c;
    v_message := v_class.error_message;
    IF v_stage = 2 AND v_status_code BETWEEN 200 AND 399 THEN
      v_message := pg_catalog.format(
        'slow response: HTTP %s after more than %s ms (degraded above %s ms; the first probe timed out, a second one got the answer)',
        v_status_code, v_first_ms, v_limit_ms);
    END IF;

    DELETE FROM integration_ops.pg_net_health_probes AS p
     WHERE p.org_id = v_org_id AND p.integration_type = v_type;
    PERFORM integration_ops.record_health_check(v_org_id, v_type,
      v_class.status, v_latency, v_message);
    v_count := v_count + 1;
  END LOOP;

  -- 2. Probes pg_net never answered (its worker down, or the response expired).
  FOR v_row IN
    SELECT p.org_id, p.integration_type, p.timeout_ms
      FROM integration_ops.pg_net_health_probes AS p
     WHERE p.sent_at < pg_catalog.clock_timestamp()
                       - (interval '5 minutes' + p.timeout_ms * interval '1 millisecond')
     ORDER BY p.sent_at
     LIMIT record_pg_net_health_checks.max_answers
       FOR UPDATE SKIP LOCKED
  LOOP
    DELETE FROM integration_ops.pg_net_health_probes AS p
     WHERE p.org_id = v_row.org_id AND p.integration_type = v_row.integration_type;
    PERFORM integration_ops.record_health_check(v_row.org_id, v_row.integration_type,
      'unreachable', NULL,
      pg_catalog.format('timeout: no answer from pg_net within %s ms + 5 minutes (is its background worker running?)',
                        v_row.timeout_ms));
    v_count := v_count + 1;
  END LOOP;
  RETURN v_count;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.record_pg_net_health_checks(integer) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.record_pg_net_health_checks(integer) IS
  'pg_cron (integration_pg_net_health_checks): records the answers to pg_net health probes (integration_ops.pg_net_health_probes) from net._http_response, reading only responses created since the oldest open probe, classified by classify_health_probe and stored through record_health_check (failure count, backoff, passive mode as for the worker). A stage-1 timeout (threshold probe) turns the probe into a second probe with health_check_timeout: an answer then is degraded (slow), none unreachable. latency_ms = created - sent_at (pg_net''s queue wait; pg_net stamps created when its worker starts the batch), at most the stage-1 timeout; plus the stage-1 timeout after a second probe. Probes unanswered after their timeout + 5 minutes are recorded unreachable. Returns the number recorded; 0 without pg_net. Owner only.';

COMMIT;
