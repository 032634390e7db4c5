-- pg_net health checks (issue 23, DESIGN §13 "Adoption"): Postgres checks the pairs with
-- delivery = 'pg_net' itself (integration_ops.send_pg_net_health_checks, then
-- record_pg_net_health_checks, on the pg_cron job integration_pg_net_health_checks), and the
-- worker's claim leaves them alone. Runs against the pg_net stand-in created inside this
-- transaction with pg_net's real definitions (tests.install_pg_net_standin), or against the
-- real extension's tables when it is installed: requests are only queued (nothing commits)
-- and the test writes the responses into net._http_response itself, as pg_net's worker does
-- (created = the start of its batch, not the arrival of the answer: a slow answer shows as a
-- first probe that timed out at the degraded threshold, answered by a second probe).
BEGIN;
SELECT plan(44);

CREATE TEMP TABLE probe_pairs (name text PRIMARY KEY, org_id uuid, integration_type text) ON COMMIT DROP;
INSERT INTO probe_pairs VALUES
  ('ok',       '5e000000-0000-0000-0000-000000000001', 'xledger'),
  ('slow',     '5e000000-0000-0000-0000-000000000001', 'dynamics'),
  ('s503',     '5e000000-0000-0000-0000-000000000001', 'bufdir'),
  ('r429',     '5e000000-0000-0000-0000-000000000002', 'xledger'),
  ('tmo',      '5e000000-0000-0000-0000-000000000002', 'dynamics'),
  ('refused',  '5e000000-0000-0000-0000-000000000002', 'bufdir'),
  ('queued',   '5e000000-0000-0000-0000-000000000003', 'xledger'),
  ('nourl',    '5e000000-0000-0000-0000-000000000003', 'dynamics'),
  ('expire',   '5e000000-0000-0000-0000-000000000003', 'bufdir'),
  ('old',      '5e000000-0000-0000-0000-000000000005', 'xledger'),
  ('passive',  '5e000000-0000-0000-0000-000000000004', 'xledger'),
  ('off',      '5e000000-0000-0000-0000-000000000004', 'dynamics'),
  ('nohealth', '5e000000-0000-0000-0000-000000000004', 'bufdir'),
  ('worker',   '5e000000-0000-0000-0000-00000000000a', 'xledger');
CREATE TEMP VIEW probe_status AS
  SELECT n.name, hs.status, hs.latency_ms, hs.error_message, hs.consecutive_failures,
         hs.next_check_at, hs.claimed_by
    FROM probe_pairs AS n
    JOIN public.integration_health_status AS hs USING (org_id, integration_type);
CREATE TEMP VIEW open_probes AS
  SELECT n.name, p.stage, p.net_request_id, p.sent_at, p.timeout_ms
    FROM probe_pairs AS n
    JOIN integration_ops.pg_net_health_probes AS p USING (org_id, integration_type);
CREATE TEMP TABLE worker_claimed (org_id uuid, integration_type text, health_config jsonb, secret_ref text)
  ON COMMIT DROP;
GRANT ALL ON worker_claimed TO integration_worker;

-- A pg_net response as pg_net's worker writes it, `after` the probe's sent_at.
CREATE FUNCTION pg_temp.answer(p_name text, p_status integer, p_after interval,
                               p_timed_out boolean DEFAULT false, p_error text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO net._http_response (id, status_code, timed_out, error_msg, created)
  SELECT o.net_request_id, p_status, p_timed_out, p_error, o.sent_at + p_after
    FROM open_probes AS o WHERE o.name = p_name;
END
$$;

DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false;  -- every other pair: rolled back
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
  PERFORM set_config('tests.standin', tests.install_pg_net_standin()::text, true);
  INSERT INTO public.organization_integrations
         (org_id, integration_type, endpoint_url, delivery, health_config, secret_ref)
  SELECT n.org_id, n.integration_type, 'http://127.0.0.1:9/sync',
         CASE n.name WHEN 'worker' THEN 'worker' ELSE 'pg_net' END,
         CASE n.name WHEN 'nourl' THEN '{"environment": "demo"}'::jsonb
                     WHEN 'expire' THEN '{"url": "http://127.0.0.1:9/h/expire", "degraded_latency_ms": 500}'
                     ELSE jsonb_build_object('url', 'http://127.0.0.1:9/h/' || n.name) END,
         CASE n.name WHEN 'ok' THEN 'OK_SECRET' END
    FROM probe_pairs AS n;
  UPDATE public.organization_integrations AS oi SET health_mode = 'passive'
    FROM probe_pairs AS n WHERE n.name = 'passive' AND (oi.org_id, oi.integration_type) = (n.org_id, n.integration_type);
  UPDATE public.organization_integrations AS oi SET enabled = false
    FROM probe_pairs AS n WHERE n.name = 'off' AND (oi.org_id, oi.integration_type) = (n.org_id, n.integration_type);
  UPDATE public.organization_integrations AS oi SET health_mode = 'disabled'
    FROM probe_pairs AS n WHERE n.name = 'nohealth' AND (oi.org_id, oi.integration_type) = (n.org_id, n.integration_type);
  -- Due in a known order (the order of probe_pairs above), an hour ago at most.
  UPDATE public.integration_health_status AS hs
     SET next_check_at = now() - interval '1 hour' + o.n * interval '1 minute'
    FROM (SELECT name, org_id, integration_type, row_number() OVER (ORDER BY ctid) AS n FROM probe_pairs) AS o
   WHERE (hs.org_id, hs.integration_type) = (o.org_id, o.integration_type) AND hs.next_check_at IS NOT NULL;
END
$$;
CREATE TEMP VIEW probe_requests AS
  SELECT substring(q.url FROM '/h/(.*)$') AS name, q.id, q.method::text AS method, q.headers,
         q.timeout_milliseconds
    FROM net.http_request_queue AS q
   WHERE q.url LIKE 'http://127.0.0.1:9/h/%';

-- The worker's claim no longer takes pg_net pairs ------------------------------------------
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  INSERT INTO worker_claimed SELECT * FROM integration_ops.claim_health_checks('w-pgnet', 1000);
END
$$;
SELECT tests.clear_authentication();
SELECT set_eq($$SELECT n.name FROM worker_claimed JOIN probe_pairs AS n USING (org_id, integration_type)$$,
  ARRAY['worker'], 'claim_health_checks returns the worker pair and no pg_net pair');
SELECT is((SELECT count(*)::int FROM probe_status
            WHERE name NOT IN ('worker', 'passive', 'off', 'nohealth')
              AND next_check_at < now() AND claimed_by IS NULL), 10,
  'the ten due pg_net pairs are still due and unclaimed after the worker''s claim');

-- Bounded batch: the oldest due pg_net pairs first ----------------------------------------
SELECT is(integration_ops.send_pg_net_health_checks(max_checks => 3), 3, 'a batch of 3: 3 probes queued');
SELECT set_eq($$SELECT name FROM open_probes$$, ARRAY['ok', 'slow', 's503'],
  'the three pairs due first have a probe, nobody else');
SELECT is(integration_ops.send_pg_net_health_checks(), 6,
  'the next run queues the other six (nourl is recorded without a probe)');
SELECT set_eq($$SELECT name FROM open_probes$$,
  ARRAY['ok', 'slow', 's503', 'r429', 'tmo', 'refused', 'queued', 'expire', 'old'],
  'one open probe per due active pg_net pair with a url');
SELECT is(integration_ops.send_pg_net_health_checks(), 0, 'one probe per interval: nothing more is due');
SELECT results_eq(
  $$SELECT name, count(*)::int, min(method), min(headers::text), min(timeout_milliseconds)
      FROM probe_requests GROUP BY name ORDER BY name$$,
  $$VALUES ('expire', 1, 'GET', '{}', 500), ('ok', 1, 'GET', '{}', 2000), ('old', 1, 'GET', '{}', 2000),
           ('queued', 1, 'GET', '{}', 2000), ('r429', 1, 'GET', '{}', 2000), ('refused', 1, 'GET', '{}', 2000),
           ('s503', 1, 'GET', '{}', 2000), ('slow', 1, 'GET', '{}', 2000), ('tmo', 1, 'GET', '{}', 2000)$$,
  'one GET per pair to its health_config.url, no header (no credential, even with secret_ref), timeout = degraded_latency_ms (default 2000)');
SELECT is((SELECT count(*)::int FROM probe_requests WHERE name IN ('passive', 'off', 'nohealth', 'worker')), 0,
  'passive, not-enabled and health-disabled pg_net pairs and the worker pair are never probed');
SELECT results_eq(
  $$SELECT name, next_check_at - now(), claimed_by FROM probe_status WHERE name IN ('ok', 'worker') ORDER BY name$$,
  $$VALUES ('ok'::text, interval '15 minutes', 'pg_net'::text), ('worker', interval '15 minutes', 'w-pgnet')$$,
  'a probed pair is leased one interval ahead by pg_net; the worker pair keeps the worker''s lease');
SELECT results_eq(
  $$SELECT status, latency_ms, error_message, consecutive_failures FROM probe_status WHERE name = 'nourl'$$,
  $$VALUES ('unreachable'::text, NULL::int,
            'invalid health_config for dynamics: a pg_net health check needs `url` (the full probe URL; pg_net checks derive no vendor default)'::text, 1)$$,
  'a pg_net pair without a url is recorded unreachable, saying why');

-- Answers to the first probes --------------------------------------------------------------
DO $$
BEGIN
  PERFORM pg_temp.answer('ok', 200, interval '5 milliseconds');
  PERFORM pg_temp.answer('slow', NULL, interval '1 millisecond', true,
    'Timeout of 2000 ms reached. Total time: 2001.2 ms (DNS time: 0.0 ms, TCP/SSL handshake time: 0.2 ms, HTTP Request/Response time: 2000.9 ms)');
  PERFORM pg_temp.answer('s503', 503, interval '7 milliseconds');
  PERFORM pg_temp.answer('r429', 429, interval '3 milliseconds');
  PERFORM pg_temp.answer('tmo', NULL, interval '1 millisecond', true,
    'Timeout of 2000 ms reached. Total time: 2000.8 ms (DNS time: 0.0 ms, TCP/SSL handshake time: 0.1 ms, HTTP Request/Response time: 2000.6 ms)');
  PERFORM pg_temp.answer('refused', NULL, interval '1 millisecond', false, 'Couldn''t connect to server');
  PERFORM pg_temp.answer('queued', 200, interval '2500 milliseconds');  -- waited in pg_net's queue
  PERFORM pg_temp.answer('old', 500, interval '-2 hours');              -- an old row with the same id
END
$$;
SELECT is(integration_ops.record_pg_net_health_checks(), 5,
  'five answers recorded; the two first-probe timeouts wait for a second probe');
SELECT results_eq(
  $$SELECT name, status, latency_ms, error_message, consecutive_failures FROM probe_status
     WHERE name IN ('ok', 's503', 'r429', 'refused', 'queued') ORDER BY name$$,
  $$VALUES ('ok'::text, 'healthy'::text, 5, NULL::text, 0),
           ('queued', 'healthy', 2000, NULL, 0),
           ('r429', 'degraded', 3, 'HTTP 429: rate limited', 1),
           ('refused', 'unreachable', NULL, 'connection error: Couldn''t connect to server', 1),
           ('s503', 'unreachable', 7, 'HTTP 503', 1)$$,
  '200 healthy, 429 degraded, 503 and a refused connection unreachable; latency = created - sent_at, at most the first probe''s timeout');
SELECT results_eq($$SELECT name, stage::int, net_request_id IS NULL, sent_at IS NULL FROM open_probes ORDER BY name$$,
  $$VALUES ('expire'::text, 1, false, false), ('old', 1, false, false),
           ('slow', 2, true, true), ('tmo', 2, true, true)$$,
  'the timed-out first probes turn into second probes waiting to be sent; the unanswered ones stay open');
SELECT ok((SELECT status IS NULL FROM probe_status WHERE name = 'old'),
  'a response older than the open probes is never read (only new responses, by created)');
SELECT results_eq($$SELECT name, count(*)::int FROM public.integration_health_history AS h
                    JOIN probe_pairs AS n USING (org_id, integration_type)
                   WHERE n.name IN ('ok', 's503') GROUP BY name ORDER BY name$$,
  $$VALUES ('ok'::text, 1), ('s503', 1)$$, 'each result is one history row (record_health_check)');

-- Second probes: slow answers and no answer -------------------------------------------------
SELECT is(integration_ops.send_pg_net_health_checks(), 2, 'the two second probes are sent');
SELECT results_eq(
  $$SELECT name, count(*)::int, max(timeout_milliseconds) FROM probe_requests
     WHERE name IN ('slow', 'tmo') GROUP BY name ORDER BY name$$,
  $$VALUES ('slow'::text, 2, 10000), ('tmo', 2, 10000)$$,
  'a second GET each, with timeout = settings.health_check_timeout');
DO $$
BEGIN
  PERFORM pg_temp.answer('slow', 200, interval '3000 milliseconds');
  PERFORM pg_temp.answer('tmo', NULL, interval '1 millisecond', true,
    'Timeout of 10000 ms reached. Total time: 10001.0 ms (DNS time: 0.0 ms, TCP/SSL handshake time: 0.1 ms, HTTP Request/Response time: 10000.9 ms)');
END
$$;
SELECT is(integration_ops.record_pg_net_health_checks(), 2, 'both second probes recorded');
SELECT results_eq(
  $$SELECT name, status, latency_ms, consecutive_failures FROM probe_status WHERE name IN ('slow', 'tmo') ORDER BY name$$,
  $$VALUES ('slow'::text, 'degraded'::text, 5000, 1), ('tmo', 'unreachable', NULL::int, 1)$$,
  'slow 200 degraded (latency: first timeout + the second probe''s measure), timed out unreachable');
SELECT matches((SELECT error_message FROM probe_status WHERE name = 'slow'),
  '^slow response: HTTP 200 after more than 2000 ms \(degraded above 2000 ms',
  'the slow answer says so, with the Python runner''s prefix');
SELECT matches((SELECT error_message FROM probe_status WHERE name = 'tmo'),
  '^timeout: Timeout of 10000 ms reached', 'the timeout says so');

-- Backoff: consecutive failures push the next check back ----------------------------------
SELECT results_eq($$SELECT name, next_check_at - now() FROM probe_status WHERE name IN ('ok', 's503') ORDER BY name$$,
  $$VALUES ('ok'::text, interval '15 minutes'), ('s503', interval '30 minutes')$$,
  'healthy: next check one interval ahead; one failure: two intervals');
DO $$
BEGIN
  UPDATE public.integration_health_status AS hs SET next_check_at = now() - interval '1 second'
    FROM probe_pairs AS n WHERE n.name = 's503' AND (hs.org_id, hs.integration_type) = (n.org_id, n.integration_type);
END
$$;
SELECT is(integration_ops.send_pg_net_health_checks(), 1, 'the 503 pair, due again, is probed again');
DO $$ BEGIN PERFORM pg_temp.answer('s503', 503, interval '4 milliseconds'); END $$;
SELECT is(integration_ops.record_pg_net_health_checks(), 1, 'its answer is recorded');
SELECT results_eq($$SELECT status, consecutive_failures, next_check_at - now() FROM probe_status WHERE name = 's503'$$,
  $$VALUES ('unreachable'::text, 2, interval '1 hour')$$,
  'two consecutive failures: the next check is four intervals ahead (record_health_check''s backoff)');

-- Probes pg_net never answers -------------------------------------------------------------
SELECT is(integration_ops.record_pg_net_health_checks(), 0, 'an unanswered probe stays open within its timeout + 5 minutes');
DO $$
BEGIN
  UPDATE integration_ops.pg_net_health_probes AS p SET sent_at = sent_at - interval '6 minutes'
    FROM probe_pairs AS n WHERE n.name = 'expire' AND (p.org_id, p.integration_type) = (n.org_id, n.integration_type);
END
$$;
SELECT is(integration_ops.record_pg_net_health_checks(), 1, 'past its timeout + 5 minutes it is recorded');
SELECT results_eq($$SELECT status, latency_ms, consecutive_failures FROM probe_status WHERE name = 'expire'$$,
  $$VALUES ('unreachable'::text, NULL::int, 1)$$, 'unreachable');
SELECT matches((SELECT error_message FROM probe_status WHERE name = 'expire'),
  '^timeout: no answer from pg_net within 500 ms \+ 5 minutes', 'saying pg_net never answered');
SELECT set_eq($$SELECT name FROM open_probes$$, ARRAY['old'], 'only the probe without a new response is still open');

-- Passive and disabled pairs: never probed, no schedule -------------------------------------
SELECT results_eq($$SELECT name, next_check_at FROM probe_status WHERE name IN ('passive', 'off', 'nohealth') ORDER BY name$$,
  $$SELECT name, NULL::timestamptz FROM probe_pairs AS n
     WHERE name IN ('passive', 'off', 'nohealth')
       AND EXISTS (SELECT FROM public.integration_health_status AS hs
                    WHERE (hs.org_id, hs.integration_type) = (n.org_id, n.integration_type)) ORDER BY name$$,
  'passive and disabled pg_net pairs have no scheduled check');
SELECT is((SELECT count(*)::int FROM probe_requests WHERE name IN ('passive', 'off', 'nohealth', 'worker')), 0,
  'and were never probed in this whole test');

-- A pair re-routed to the worker is the worker's again -------------------------------------
DO $$
BEGIN
  UPDATE public.organization_integrations AS oi SET delivery = 'worker'
    FROM probe_pairs AS n WHERE n.name = 'ok' AND (oi.org_id, oi.integration_type) = (n.org_id, n.integration_type);
  UPDATE public.integration_health_status AS hs SET next_check_at = now() - interval '1 second'
    FROM probe_pairs AS n WHERE n.name IN ('ok', 'r429') AND (hs.org_id, hs.integration_type) = (n.org_id, n.integration_type);
  DELETE FROM worker_claimed;
END
$$;
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  INSERT INTO worker_claimed SELECT * FROM integration_ops.claim_health_checks('w-pgnet', 1000);
END
$$;
SELECT tests.clear_authentication();
SELECT set_eq($$SELECT n.name FROM worker_claimed JOIN probe_pairs AS n USING (org_id, integration_type)$$,
  ARRAY['ok'], 'the worker claims the pair now delivered by the worker, not the due pg_net pair');
SELECT is(integration_ops.send_pg_net_health_checks(), 1, 'Postgres probes the due pg_net pair');
SELECT set_eq($$SELECT name FROM open_probes$$, ARRAY['old', 'r429'], 'and only it');

-- A stored URL that breaks the URL rules (written before 0.3 judged it) is never probed ----
INSERT INTO probe_pairs VALUES ('meta', '5e000000-0000-0000-0000-000000000006', 'xledger');
DO $$
BEGIN
  ALTER TABLE public.organization_integrations DISABLE TRIGGER organization_integrations_url_rules;
  INSERT INTO public.organization_integrations
         (org_id, integration_type, endpoint_url, delivery, health_config)
  VALUES ('5e000000-0000-0000-0000-000000000006', 'xledger', 'http://127.0.0.1:9/sync', 'pg_net',
          '{"url": "http://169.254.169.254/h/meta"}');
  ALTER TABLE public.organization_integrations ENABLE TRIGGER organization_integrations_url_rules;
  UPDATE public.integration_health_status SET next_check_at = now() - interval '1 second'
   WHERE org_id = '5e000000-0000-0000-0000-000000000006' AND integration_type = 'xledger';
END
$$;
SELECT is(integration_ops.send_pg_net_health_checks(), 0, 'a metadata health url: no probe is queued');
SELECT results_eq(
  $$SELECT status, error_message LIKE 'invalid health_config for xledger: `url` breaks the URL rules: %',
           (SELECT count(*)::int FROM net.http_request_queue WHERE url LIKE '%169.254.169.254%')
      FROM probe_status WHERE name = 'meta'$$,
  $$VALUES ('unreachable'::text, true, 0)$$,
  'it is recorded unreachable, naming the broken rule, and nothing reaches the metadata address');

-- Arguments ------------------------------------------------------------------------------
SELECT throws_ok($$SELECT integration_ops.send_pg_net_health_checks(51)$$, 'PT400', 'invalid_argument',
  'at most 50 probes (sub-transactions) per call');
SELECT throws_ok($$SELECT integration_ops.record_pg_net_health_checks(0)$$, 'PT400', 'invalid_argument',
  'max_answers 1..1000');
SELECT ok(NOT has_function_privilege('service_role', 'integration_ops.send_pg_net_health_checks(integer)', 'execute')
      AND NOT has_function_privilege('integration_worker', 'integration_ops.record_pg_net_health_checks(integer)', 'execute')
      AND NOT has_function_privilege('authenticated', 'integration_ops.send_pg_net_health_checks(integer)', 'execute'),
  'no API role and not the worker may run them (pg_cron runs them as the owner)');

-- Without pg_net: nothing happens, no error ----------------------------------------------
DO $$
BEGIN
  IF current_setting('tests.standin') = 'true' THEN
    SET LOCAL client_min_messages = warning;
    DROP SCHEMA net CASCADE;
  END IF;
  UPDATE public.integration_health_status AS hs SET next_check_at = now() - interval '1 second'
    FROM probe_pairs AS n WHERE n.name = 'queued' AND (hs.org_id, hs.integration_type) = (n.org_id, n.integration_type);
END
$$;
SELECT CASE WHEN current_setting('tests.standin') = 'true'
  THEN is(integration_ops.send_pg_net_health_checks(), 0)
  ELSE pass('real pg_net installed: cannot be removed here') END AS "without pg_net nothing is sent";
SELECT CASE WHEN current_setting('tests.standin') = 'true'
  THEN is(integration_ops.record_pg_net_health_checks(), 0)
  ELSE pass('real pg_net installed: cannot be removed here') END AS "without pg_net nothing is recorded";
SELECT CASE WHEN current_setting('tests.standin') = 'true'
  THEN results_eq($$SELECT next_check_at < now(), claimed_by FROM probe_status WHERE name = 'queued'$$,
                  $$VALUES (true, 'pg_net'::text)$$, 'the due pg_net pair is neither leased nor recorded')
  ELSE pass('real pg_net installed: cannot be removed here') END;

SELECT * FROM finish();
ROLLBACK;
