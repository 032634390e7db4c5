-- Deploy integration-sync:function_send_pg_net_health_checks to pg
-- requires: table_pg_net_health_probes function_record_health_check function_settings_row function_raise_error table_integration_health_status index_organization_integrations_pg_net function_url_problem table_settings_security_tunables
-- 0.3 (issue 23, DESIGN §13 "Adoption"): active health checks of pairs with
-- delivery = 'pg_net' are sent by Postgres (the pg_cron job integration_pg_net_health_checks),
-- so such pairs need no Python process. integration_ops.claim_health_checks (the worker's
-- claim) never returns them.
--
-- One call, at most max_checks (1..50) probes, each net.http_get in its own sub-transaction
-- (a probe pg_net refuses is recorded and never blocks the others; DESIGN §13 "Limits": at
-- most 50 sub-transactions per transaction):
-- 1. Second probes first: rows of integration_ops.pg_net_health_probes in stage 2 (the
--    first probe timed out at the degraded threshold) are sent with
--    timeout_milliseconds = settings.health_check_timeout.
-- 2. Due pairs: walk integration_health_status_next_check_idx in next_check_at order, FOR
--    UPDATE SKIP LOCKED with the LIMIT above the locking, keeping rows whose pair is a
--    pg_net pair (a scalar subquery per walked row: one primary-key probe, never a join that
--    scans every pair); then, in a second
--    statement, lease them as claim_health_checks does (next_check_at = now() + interval,
--    claimed_by 'pg_net'; a due row whose pair is not checkable is unscheduled; a pair
--    re-routed to the worker meanwhile is left alone). record_health_check sets the real next
--    check (backoff included) when the result is recorded.
-- 3. Each leased pair: GET health_config.url (pg_net has no HEAD; no header, no credential)
--    with timeout_milliseconds = degraded_latency_ms (health_config, default 2000), at most
--    settings.health_check_timeout. A pair without a usable url or with a bad
--    degraded_latency_ms is recorded unreachable at once, with the reason (no probe).
--
-- pg_net is optional: net.http_get is looked up with to_regprocedure at run time; without it
-- this returns 0 and leases nothing. Invoker rights: only the owner (pg_cron) runs it.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.send_pg_net_health_checks(max_checks integer DEFAULT 50)
RETURNS integer
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
-- jit off: with enable_sort off the plan looks costly enough for JIT, which then takes
-- hundreds of milliseconds per call to compile a statement that runs in microseconds
SET jit = off
AS $$
DECLARE
  v_get regprocedure := pg_catalog.to_regprocedure('net.http_get(text,jsonb,jsonb,integer)');
  v_health_ms integer;
  v_allowed_hosts text[] := (integration_ops.settings_row()).allowed_http_hosts;
  v_want integer;
  v_ids bigint[];
  v_send_ids bigint[];
  v_leased integer;
  v_enable_sort text;
  v_probe record;
  v_pair record;
  v_config jsonb;
  v_url text;
  v_limit_json jsonb;
  v_limit integer;
  v_problem text;
  v_first_ms integer;
  v_request_id bigint;
  v_sent_at timestamptz;
  v_sent integer := 0;
BEGIN
  IF send_pg_net_health_checks.max_checks IS NULL
     OR send_pg_net_health_checks.max_checks NOT BETWEEN 1 AND 50 THEN
    PERFORM integration_ops.raise_error('invalid_argument',
      'max_checks must be between 1 and 50 (one sub-transaction per probe).');
  END IF;
  IF v_get IS NULL THEN
    RETURN 0;
  END IF;
  v_health_ms := LEAST(GREATEST(pg_catalog.ceil(pg_catalog.date_part('epoch',
                   (integration_ops.settings_row()).health_check_timeout) * 1000), 1), 2147483647)::integer;
  v_want := send_pg_net_health_checks.max_checks;

  -- 1. Second probes (stage 2), oldest check first.
  FOR v_probe IN
    SELECT p.org_id, p.integration_type, p.url
      FROM integration_ops.pg_net_health_probes AS p
     WHERE p.net_request_id IS NULL
     ORDER BY p.created_at
     LIMIT v_want
       FOR UPDATE SKIP LOCKED
  LOOP
    v_want := v_want - 1;
    BEGIN
      v_sent_at := pg_catalog.clock_timestamp();
      EXECUTE pg_catalog.format('SELECT %s(url => $1, headers => $2, timeout_milliseconds => $3)',
                                v_get::oid::regproc)
        INTO STRICT v_request_id
        USING v_probe.url, '{}'::jsonb, v_health_ms;
    EXCEPTION WHEN OTHERS THEN
      DELETE FROM integration_ops.pg_net_health_probes AS p
       WHERE p.org_id = v_probe.org_id AND p.integration_type = v_probe.integration_type;
      PERFORM integration_ops.record_health_check(v_probe.org_id, v_probe.integration_type,
        'unreachable', NULL, 'transport error: pg_net did not take the second probe: ' || SQLERRM);
      CONTINUE;
    END;
    UPDATE integration_ops.pg_net_health_probes AS p
       SET net_request_id = v_request_id, sent_at = v_sent_at, timeout_ms = v_health_ms
     WHERE p.org_id = v_probe.org_id AND p.integration_type = v_probe.integration_type;
    v_sent := v_sent + 1;
  END LOOP;

  -- No pg_net pair: nothing to walk (one probe of the partial index).
  IF v_want = 0 OR NOT EXISTS (
       SELECT FROM public.organization_integrations AS oi WHERE oi.delivery = 'pg_net') THEN
    RETURN v_sent;
  END IF;

  LOOP
    -- 2a. Lock up to v_want due rows of pg_net pairs, oldest first.
    v_enable_sort := pg_catalog.current_setting('enable_sort');
    PERFORM pg_catalog.set_config('enable_sort', 'off', true);
    SELECT pg_catalog.array_agg(d.id) INTO v_ids
      FROM (SELECT hs.id
              FROM public.integration_health_status AS hs
             WHERE hs.next_check_at <= now()
               AND (SELECT oi.delivery FROM public.organization_integrations AS oi
                     WHERE oi.org_id = hs.org_id
                       AND oi.integration_type = hs.integration_type) = 'pg_net'
             ORDER BY hs.next_check_at
             LIMIT v_want
               FOR UPDATE OF hs SKIP LOCKED) AS d;
    PERFORM pg_catalog.set_config('enable_sort', v_enable_sort, true);
    EXIT WHEN v_ids IS NULL;

    -- 2b. Lease the checkable pg_net pairs, unschedule the rows that are not checkable.
    WITH locked AS (
      SELECT hs.id AS l_id, oi.health_check_interval AS l_interval,
             coalesce(oi.enabled AND oi.health_mode = 'active', false) AS l_checkable,
             coalesce(oi.delivery = 'pg_net', false) AS l_pg_net
        FROM public.integration_health_status AS hs
        LEFT JOIN public.organization_integrations AS oi
          ON oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
       WHERE hs.id = ANY (v_ids)
    ), leased AS (
      UPDATE public.integration_health_status AS hs
         SET next_check_at = CASE WHEN NOT l.l_checkable THEN NULL
                                  WHEN l.l_pg_net THEN now() + l.l_interval
                                  ELSE hs.next_check_at END,
             claimed_by = CASE WHEN l.l_checkable AND l.l_pg_net THEN 'pg_net' ELSE hs.claimed_by END,
             claimed_at = CASE WHEN l.l_checkable AND l.l_pg_net THEN now() ELSE hs.claimed_at END
        FROM locked AS l
       WHERE hs.id = l.l_id
      RETURNING hs.id AS c_id, (l.l_checkable AND l.l_pg_net) AS c_send
    )
    SELECT pg_catalog.array_agg(c.c_id) FILTER (WHERE c.c_send), pg_catalog.count(*) FILTER (WHERE c.c_send)
      INTO v_send_ids, v_leased
      FROM leased AS c;

    -- 3. One probe per leased pair.
    FOR v_pair IN
      SELECT hs.org_id, hs.integration_type, oi.health_config
        FROM public.integration_health_status AS hs
        JOIN public.organization_integrations AS oi
          ON oi.org_id = hs.org_id AND oi.integration_type = hs.integration_type
       WHERE hs.id = ANY (coalesce(v_send_ids, '{}'))
       ORDER BY hs.id
    LOOP
      v_config := coalesce(v_pair.health_config, '{}'::jsonb);
      v_problem := NULL;
      v_limit := 2000;
      IF pg_catalog.jsonb_typeof(v_config) IS DISTINCT FROM 'object' THEN
        v_problem := 'expected a JSON object';
      ELSE
        v_url := CASE WHEN pg_catalog.jsonb_typeof(v_config -> 'url') = 'string'
                      THEN pg_catalog.btrim(v_config ->> 'url') END;
        v_limit_json := v_config -> 'degraded_latency_ms';
        IF v_url IS NULL OR v_url = '' THEN
          v_problem := 'a pg_net health check needs `url` (the full probe URL; pg_net checks derive no vendor default)';
        ELSIF v_url !~* '^https?://[^/?#[:space:]]+' OR v_url ~ '[[:space:]]' THEN
          v_problem := '`url` must be an absolute http or https URL';
        ELSIF v_url ~ '^[^:]+://[^/?#]*@' THEN
          v_problem := '`url` must not carry credentials';
        ELSIF integration_ops.url_problem(v_url, v_allowed_hosts) IS NOT NULL THEN
          -- The URL rules again at send time (a row written before 0.3 was never judged).
          v_problem := '`url` breaks the URL rules: '
                       || integration_ops.url_problem(v_url, v_allowed_hosts);
        ELSIF v_limit_json IS NOT NULL AND v_limit_json <> 'null'::jsonb THEN
          IF pg_catalog.jsonb_typeof(v_limit_json) = 'number'
             AND (v_limit_json::text)::numeric = pg_catalog.trunc((v_limit_json::text)::numeric)
             AND (v_limit_json::text)::numeric BETWEEN 1 AND 600000 THEN
            v_limit := (v_limit_json::text)::numeric::integer;
          ELSE
            v_problem := '`degraded_latency_ms` must be an integer in 1..600000';
          END IF;
        END IF;
      END IF;
      IF v_problem IS NOT NULL THEN
        PERFORM integration_ops.record_health_check(v_pair.org_id, v_pair.integration_type,
          'unreachable', NULL,
          pg_catalog.format('invalid health_config for %s: %s', v_pair.integration_type, v_problem));
        CONTINUE;
      END IF;

      v_first_ms := LEAST(v_limit, v_health_ms);
      BEGIN
        v_sent_at := pg_catalog.clock_timestamp();
        EXECUTE pg_catalog.format('SELECT %s(url => $1, headers => $2, timeout_milliseconds => $3)',
                                  v_get::oid::regproc)
          INTO STRICT v_request_id
          USING v_url, '{}'::jsonb, v_first_ms;
      EXCEPTION WHEN OTHERS THEN
        PERFORM integration_ops.record_health_check(v_pair.org_id, v_pair.integration_type,
          'unreachable', NULL, 'transport error: pg_net did not take the probe: ' || SQLERRM);
        CONTINUE;
      END;
      INSERT INTO integration_ops.pg_net_health_probes AS p
             (org_id, integration_type, stage, url, degraded_latency_ms, first_timeout_ms,
              timeout_ms, net_request_id, sent_at, created_at)
      VALUES (v_pair.org_id, v_pair.integration_type, 1, v_url, v_limit, v_first_ms,
              v_first_ms, v_request_id, v_sent_at, now())
      ON CONFLICT ON CONSTRAINT pg_net_health_probes_pkey DO UPDATE
         SET stage = 1, url = EXCLUDED.url, degraded_latency_ms = EXCLUDED.degraded_latency_ms,
             first_timeout_ms = EXCLUDED.first_timeout_ms, timeout_ms = EXCLUDED.timeout_ms,
             net_request_id = EXCLUDED.net_request_id, sent_at = EXCLUDED.sent_at,
             created_at = EXCLUDED.created_at;
      v_sent := v_sent + 1;
    END LOOP;

    -- Done when the lock step found fewer rows than it looked for, or every place was used.
    EXIT WHEN pg_catalog.cardinality(v_ids) < v_want OR v_leased = pg_catalog.cardinality(v_ids);
    v_want := v_want - v_leased;
  END LOOP;
  RETURN v_sent;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.send_pg_net_health_checks(integer) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.send_pg_net_health_checks(integer) IS
  'pg_cron (integration_pg_net_health_checks): active health checks of delivery = ''pg_net'' pairs, sent by Postgres. Sends waiting second probes (stage 2, timeout settings.health_check_timeout), then leases up to max_checks (1..50) due pg_net pairs (next_check_at index, FOR UPDATE SKIP LOCKED; lease = now() + interval) and queues one net.http_get of health_config.url each (no headers; timeout = degraded_latency_ms, default 2000, at most health_check_timeout), one sub-transaction per probe. A pair without a usable url or with a bad degraded_latency_ms is recorded unreachable at once. Returns the number of probes queued; 0 without pg_net (nothing leased). Owner only.';

COMMIT;
