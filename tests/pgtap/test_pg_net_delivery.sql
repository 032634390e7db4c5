-- pg_net delivery (issue 8): feature detection, delivery from the dispatcher and the
-- manual trigger, reconciliation, worker pairs untouched. Runs against stand-ins of pg_net
-- and Supabase Vault created inside this transaction with the real definitions
-- (tests.install_pg_net_standin, tests.install_vault_standin), or against the real
-- extensions when they are installed.
BEGIN;
SELECT plan(33);

DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false;
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
  PERFORM tests.add_member('99999999-0000-0000-0000-000000000009', 'nina_coord', 'coordinator');
  PERFORM tests.add_integration('99999999-0000-0000-0000-000000000009', 'xledger', interval '1 hour', 'http://127.0.0.1:9/x');
END
$$;

-- Without pg_net -------------------------------------------------------------------------------
SELECT ok(to_regnamespace('net') IS NULL OR EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_net'),
  'no stand-in outside this test');
SELECT is(integration_ops.reconcile_pg_net_responses(), 0, 'reconcile without pg_net: 0, no error');
SELECT CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_net')
  THEN pass('real pg_net installed: refusal not testable here')
  ELSE throws_ok($$UPDATE public.organization_integrations SET delivery = 'pg_net'
                    WHERE org_id = '99999999-0000-0000-0000-000000000009'$$,
    'PT400', 'invalid_argument', 'delivery pg_net without the extension is refused') END;
SELECT CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_net')
  THEN pass('real pg_net installed')
  ELSE throws_like($$UPDATE public.organization_integrations SET delivery = 'pg_net'
                    WHERE org_id = '99999999-0000-0000-0000-000000000009'$$,
    '%invalid_argument%', 'refused with invalid_argument') END;
SELECT is((SELECT delivery FROM public.organization_integrations WHERE org_id = '99999999-0000-0000-0000-000000000009'),
  'worker', 'the row is unchanged');

-- With pg_net (stand-in) and a Vault secret ------------------------------------------------------------
DO $$
BEGIN
  PERFORM set_config('tests.standin', tests.install_pg_net_standin()::text, true);
  -- the real Vault, or a stand-in with its definitions (decrypted_secrets is a view)
  PERFORM tests.install_vault_standin();
  -- 0.3: the 0.2 service key may still sit in Vault: it is never sent. Calls are signed with
  -- the webhook secret (Standard Webhooks) and carry the gateway (anon) key.
  PERFORM vault.create_secret('test-service-key', 'integration_service_key', 'pg_net delivery test');
  PERFORM vault.create_secret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'integration_webhook_secret', 'signing secret');
  PERFORM vault.create_secret('test-anon-key', 'integration_gateway_key', 'gateway key');
  UPDATE integration_ops.settings SET gateway_key_secret_name = 'integration_gateway_key';
END
$$;
SELECT throws_ok($$INSERT INTO public.organization_integrations (org_id, integration_type, delivery, endpoint_url)
                   VALUES ('99999999-0000-0000-0000-000000000009', 'dynamics', 'pg_net', NULL)$$,
  'PT400', 'invalid_argument', 'delivery pg_net needs an endpoint_url');
DO $$
DECLARE
  v_hour timestamptz := date_bin('1 hour', now(), '2000-01-01 00:00+00');
BEGIN
  UPDATE public.organization_integrations SET delivery = 'pg_net', next_sync_at = v_hour
   WHERE org_id = '99999999-0000-0000-0000-000000000009' AND integration_type = 'xledger';
  -- a worker pair, due at the same time
  INSERT INTO public.organization_integrations (org_id, integration_type, sync_interval, next_sync_at, endpoint_url)
  VALUES ('99999999-0000-0000-0000-000000000009', 'dynamics', '1 hour', v_hour, 'http://127.0.0.1:9/d');
  -- more pg_net pairs for the reconciler's outcomes
  INSERT INTO public.organization_integrations (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, delivery)
  VALUES ('88888888-0000-0000-0000-000000000008', 'xledger', '1 hour', v_hour, 'http://127.0.0.1:9/timeout', 'pg_net'),
         ('88888888-0000-0000-0000-000000000008', 'dynamics', '1 hour', v_hour, 'http://127.0.0.1:9/refused', 'pg_net'),
         ('88888888-0000-0000-0000-000000000008', 'bufdir', '1 hour', v_hour, 'http://127.0.0.1:9/garbage', 'pg_net'),
         ('77777777-0000-0000-0000-000000000007', 'xledger', '1 hour', v_hour, 'http://127.0.0.1:9/silent', 'pg_net');
  PERFORM set_config('tests.dispatch', integration_ops.dispatch_due_syncs()::text, true);
END
$$;
SELECT is((current_setting('tests.dispatch')::jsonb - 'run_ids'), '{"triggered": 6, "skipped": 0, "failed": 0}'::jsonb,
  'dispatch: six runs, none failed');
SELECT results_eq(
  $$SELECT status, worker_id, net_request_id IS NOT NULL FROM public.sync_run_log
     WHERE org_id = '99999999-0000-0000-0000-000000000009' AND integration_type = 'xledger'$$,
  $$VALUES ('running'::text, 'pg_net'::text, true)$$,
  'the pg_net run is running with the request id stored');
SELECT results_eq(
  $$SELECT status, net_request_id IS NULL FROM public.sync_run_log
     WHERE org_id = '99999999-0000-0000-0000-000000000009' AND integration_type = 'dynamics'$$,
  $$VALUES ('pending'::text, true)$$,
  'the worker pair''s run is left pending for the worker (not posted by pg_net)');
SELECT is((SELECT count(*)::int FROM net.http_request_queue q
            JOIN public.sync_run_log r ON r.net_request_id = q.id
           WHERE r.org_id = '99999999-0000-0000-0000-000000000009'), 1,
  'exactly one request queued for the pg_net pair');
SELECT results_eq(
  $$SELECT q.method::text, q.url, q.timeout_milliseconds FROM net.http_request_queue q
      JOIN public.sync_run_log r ON r.net_request_id = q.id
     WHERE r.org_id = '99999999-0000-0000-0000-000000000009'$$,
  $$VALUES ('POST'::text, 'http://127.0.0.1:9/x'::text, 45000)$$,
  'POST to endpoint_url with timeout_milliseconds from settings.pg_net_timeout');
SELECT results_eq(
  $$SELECT convert_from(q.body, 'UTF8')::jsonb, q.headers - 'webhook-timestamp' - 'webhook-signature'
      FROM net.http_request_queue q
      JOIN public.sync_run_log r ON r.net_request_id = q.id
     WHERE r.org_id = '99999999-0000-0000-0000-000000000009'$$,
  $$SELECT jsonb_build_object('run_id', r.id, 'org_id', r.org_id, 'integration_type', r.integration_type,
             'triggered_by', 'scheduler', 'scheduled_for', r.scheduled_for, 'idempotency_key', r.idempotency_key),
           jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer test-anon-key',
             'Idempotency-Key', r.idempotency_key, 'webhook-id', r.idempotency_key)
      FROM public.sync_run_log r WHERE r.org_id = '99999999-0000-0000-0000-000000000009' AND r.integration_type = 'xledger'$$,
  'the DESIGN §11 body; headers Content-Type, Idempotency-Key, webhook-id, the gateway key (never the service key)');
SELECT is(
  (SELECT q.headers ->> 'webhook-signature' FROM net.http_request_queue q
     JOIN public.sync_run_log r ON r.net_request_id = q.id
    WHERE r.org_id = '99999999-0000-0000-0000-000000000009'),
  (SELECT 'v1,' || replace(encode(integration_ops.hmac_sha256(decode('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
            convert_to((q.headers ->> 'webhook-id') || '.' || (q.headers ->> 'webhook-timestamp') || '.'
                       || convert_from(q.body, 'UTF8'), 'UTF8')), 'base64'), E'\n', '')
     FROM net.http_request_queue q JOIN public.sync_run_log r ON r.net_request_id = q.id
    WHERE r.org_id = '99999999-0000-0000-0000-000000000009'),
  'webhook-signature: v1, HMAC-SHA256 of id.timestamp.body (the exact bytes pg_net sends) with the whsec_ key');

SELECT tests.authenticate_as_worker();
SELECT is((SELECT array_agg(integration_type) FROM integration_ops.claim_sync_runs('w-1', 10)), ARRAY['dynamics'],
  'the worker claims only the worker pair''s run');
SELECT tests.clear_authentication();

-- Manual trigger of a pg_net pair: same delivery --------------------------------------------------------
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now()
   WHERE org_id = '99999999-0000-0000-0000-000000000009' AND integration_type = 'dynamics';
  INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, delivery)
  VALUES ('99999999-0000-0000-0000-000000000009', 'bufdir', 'http://127.0.0.1:9/b', 'pg_net');
END
$$;
SELECT tests.authenticate_as('nina_coord', '99999999-0000-0000-0000-000000000009');
DO $$
BEGIN
  PERFORM set_config('tests.manual', public.trigger_integration_sync('99999999-0000-0000-0000-000000000009', 'bufdir')::text, true);
END
$$;
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT r.status, r.triggered_by, q.headers ->> 'Idempotency-Key', convert_from(q.body, 'UTF8')::jsonb ->> 'triggered_by'
      FROM public.sync_run_log r JOIN net.http_request_queue q ON q.id = r.net_request_id
     WHERE r.id = current_setting('tests.manual')::uuid$$,
  $$VALUES ('running'::text, 'manual'::text, current_setting('tests.manual'), 'manual'::text)$$,
  'a manual trigger of a pg_net pair is posted the same way (Idempotency-Key = run id)');

-- Reconciliation --------------------------------------------------------------------------------------
DO $$
BEGIN
  INSERT INTO net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
  SELECT r.net_request_id,
         CASE r.org_id::text || r.integration_type
           WHEN '99999999-0000-0000-0000-000000000009xledger' THEN 200
           WHEN '99999999-0000-0000-0000-000000000009bufdir' THEN 503
           WHEN '88888888-0000-0000-0000-000000000008bufdir' THEN 200
         END,
         'application/json',
         CASE WHEN r.org_id = '99999999-0000-0000-0000-000000000009' AND r.integration_type = 'bufdir'
              THEN '{"retry-after": "120"}'::jsonb ELSE '{}'::jsonb END,
         CASE r.org_id::text || r.integration_type
           WHEN '99999999-0000-0000-0000-000000000009xledger' THEN '{"records_processed": 7, "records_failed": 1}'
           WHEN '99999999-0000-0000-0000-000000000009bufdir' THEN 'Service Unavailable'
           WHEN '88888888-0000-0000-0000-000000000008bufdir' THEN '<html>not json</html>'
         END,
         r.integration_type = 'xledger' AND r.org_id = '88888888-0000-0000-0000-000000000008',
         CASE WHEN r.org_id = '88888888-0000-0000-0000-000000000008' AND r.integration_type = 'dynamics'
              THEN 'Couldn''t connect to server http://user:hunter2@127.0.0.1:9/refused' END
    FROM public.sync_run_log r
   WHERE r.net_request_id IS NOT NULL AND r.org_id <> '77777777-0000-0000-0000-000000000007';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is(integration_ops.reconcile_pg_net_responses(), 5, 'the reconciler finishes the five runs with a response');
SELECT is(integration_ops.reconcile_pg_net_responses(), 0, 'a second pass changes nothing (idempotent)');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT status, records_processed, records_failed, error_code, ended_at IS NOT NULL FROM public.sync_run_log
     WHERE org_id = '99999999-0000-0000-0000-000000000009' AND integration_type = 'xledger'$$,
  $$VALUES ('completed'::text, 7, 1, NULL::text, true)$$, '2xx -> completed with the counts from the JSON');
SELECT results_eq(
  $$SELECT status, error_code, error_message LIKE '%503%Service Unavailable%' FROM public.sync_run_log
     WHERE id = current_setting('tests.manual')::uuid$$,
  $$VALUES ('failed'::text, 'http_503'::text, true)$$, '503 -> failed http_503');
SELECT results_eq(
  $$SELECT status, attempt, idempotency_key = current_setting('tests.manual'), not_before - now()
      FROM public.sync_run_log WHERE retry_of = current_setting('tests.manual')::uuid$$,
  $$VALUES ('pending'::text, 2, true, interval '120 seconds')$$,
  '0.3: the 503 gets its next attempt, same key, after the response''s Retry-After');
SELECT results_eq(
  $$SELECT status, error_code FROM public.sync_run_log
     WHERE org_id = '88888888-0000-0000-0000-000000000008' AND integration_type = 'xledger' AND attempt = 1$$,
  $$VALUES ('failed'::text, 'timeout'::text)$$, 'timed_out -> failed timeout');
SELECT results_eq(
  $$SELECT status, error_code, error_message !~ 'hunter2' FROM public.sync_run_log
     WHERE org_id = '88888888-0000-0000-0000-000000000008' AND integration_type = 'dynamics' AND attempt = 1$$,
  $$VALUES ('failed'::text, 'connection_error'::text, true)$$, 'error_msg -> failed connection_error, sanitised');
SELECT results_eq(
  $$SELECT status, error_code FROM public.sync_run_log
     WHERE org_id = '88888888-0000-0000-0000-000000000008' AND integration_type = 'bufdir'$$,
  $$VALUES ('failed'::text, 'invalid_response'::text)$$, '2xx without JSON -> failed invalid_response (final: no retry)');
SELECT is((SELECT count(*)::int FROM public.sync_run_log
            WHERE org_id = '88888888-0000-0000-0000-000000000008' AND attempt = 2 AND status = 'pending'),
  2, 'the timeout and the refused connection get their next attempts');
SELECT is((SELECT status FROM public.sync_run_log WHERE org_id = '77777777-0000-0000-0000-000000000007'), 'running',
  'a run without a response stays running (left to the stale reaper)');
SELECT is((SELECT status FROM public.sync_run_log
            WHERE org_id = '99999999-0000-0000-0000-000000000009' AND integration_type = 'dynamics'), 'completed',
  'the worker pair''s run is untouched by the reconciler');
DO $$
BEGIN
  UPDATE integration_ops.settings SET stale_run_timeout = interval '1 minute';
  UPDATE public.sync_run_log SET heartbeat_at = now() - interval '2 minutes'
   WHERE org_id = '77777777-0000-0000-0000-000000000007';
END
$$;
SELECT is(integration_ops.reap_stale_sync_runs(), 1, 'the reaper ends the pg_net run whose response never came');
SELECT is((SELECT error_code FROM public.sync_run_log WHERE org_id = '77777777-0000-0000-0000-000000000007' AND attempt = 1),
  'worker_lost', 'as worker_lost (its period gets a next attempt)');

-- pg_net schema present but the dispatcher cannot post: the run fails at once ---------------------------------
DO $$
BEGIN
  UPDATE public.organization_integrations SET next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '1 hour'
   WHERE org_id = '77777777-0000-0000-0000-000000000007';
  -- the waiting retry of the reaped run is cancelled, so the dispatcher starts a new period
  UPDATE public.sync_run_log SET status = 'cancelled', ended_at = now(), error_code = 'test'
   WHERE org_id = '77777777-0000-0000-0000-000000000007' AND status = 'pending';
  ALTER FUNCTION net.http_post(text, jsonb, jsonb, jsonb, integer) RENAME TO http_post_gone;
  PERFORM set_config('tests.dispatch', integration_ops.dispatch_due_syncs()::text, true);
END
$$;
SELECT is((current_setting('tests.dispatch')::jsonb - 'run_ids'), '{"triggered": 0, "skipped": 0, "failed": 1}'::jsonb,
  'pg_net gone: the run counts as failed');
SELECT results_eq(
  $$SELECT status, error_code FROM public.sync_run_log
     WHERE org_id = '77777777-0000-0000-0000-000000000007' AND error_code NOT IN ('worker_lost', 'test')$$,
  $$VALUES ('failed'::text, 'pg_net_unavailable'::text)$$,
  'and is failed with pg_net_unavailable instead of blocking the pair');

-- Privileges and pg_cron ---------------------------------------------------------------------------------------
SELECT tests.authenticate_as('nina_coord', '99999999-0000-0000-0000-000000000009');
SELECT throws_ok($$SELECT integration_ops.reconcile_pg_net_responses()$$, '42501', NULL, 'authenticated cannot reconcile');
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$SELECT integration_ops.reconcile_pg_net_responses()$$, 'service_role may reconcile');
SELECT tests.clear_authentication();
SELECT is((SELECT schedule FROM cron.job WHERE jobname = 'integration_reconcile_pg_net_responses'), '* * * * *',
  'the reconciler runs every minute');

SELECT * FROM finish();
ROLLBACK;
