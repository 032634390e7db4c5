-- Cold starts (issue 18, DESIGN §12): the warm-up settings and columns, claim_warmups
-- (due within warmup_lead, once per period, never disabled pairs or pairs without a
-- warmup_url, never pg_net pairs), record_warmup, the cold-start rule (mark_cold_start),
-- archival carrying cold_start, and the pg_net warm-up pass against the pg_net stand-in.
-- A warm-up never creates a run and never touches health status.
BEGIN;
SELECT plan(56);

DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false;
  GRANT USAGE ON SCHEMA extensions TO integration_worker, authenticated, anon, service_role;
  PERFORM tests.add_member('c0000000-0000-0000-0000-000000000001', 'cold_admin', 'admin');
  -- c1: due for a warm-up; c2: no warmup_url; c3: disabled; c4: period beyond the lead;
  -- c5: manual only; c6: the cold-start rule.
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000001', 'xledger', interval '1 hour');
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000002', 'xledger', interval '1 hour');
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000003', 'xledger', interval '1 hour');
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000004', 'xledger', interval '1 hour');
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000005', 'xledger', NULL);
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000006', 'xledger', interval '1 hour');
  UPDATE public.organization_integrations
     SET warmup_url = 'http://127.0.0.1:9/warm', next_sync_at = now() + interval '20 seconds'
   WHERE org_id IN ('c0000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000003');
  UPDATE public.organization_integrations SET next_sync_at = now() + interval '20 seconds'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000002';
  UPDATE public.organization_integrations SET enabled = false
   WHERE org_id = 'c0000000-0000-0000-0000-000000000003';
  UPDATE public.organization_integrations
     SET warmup_url = 'http://127.0.0.1:9/warm', next_sync_at = now() + interval '5 minutes'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000004';
  UPDATE public.organization_integrations SET warmup_url = 'http://127.0.0.1:9/warm'
   WHERE org_id IN ('c0000000-0000-0000-0000-000000000005', 'c0000000-0000-0000-0000-000000000006');
END
$$;

-- Settings and columns ------------------------------------------------------------------
SELECT is((SELECT warmup_lead FROM integration_ops.settings), interval '30 seconds', 'warmup_lead defaults to 30 s');
SELECT is((SELECT cold_start_idle FROM integration_ops.settings), interval '10 minutes', 'cold_start_idle defaults to 10 min');
SELECT col_not_null('public', 'sync_run_log', 'cold_start', 'sync_run_log.cold_start is NOT NULL');
SELECT col_default_is('public', 'sync_run_log', 'cold_start', 'false', 'sync_run_log.cold_start defaults to false');
SELECT has_column('integration_ops', 'sync_run_log_archive', 'cold_start', 'the archive has cold_start');
SELECT col_is_null('public', 'organization_integrations', 'warmup_url', 'warmup_url is nullable');
SELECT throws_ok($$UPDATE public.organization_integrations SET warmup_url = 'ftp://x'
                   WHERE org_id = 'c0000000-0000-0000-0000-000000000001'$$,
  'PT400', 'invalid_argument', 'warmup_url must be http(s) (0.3: the URL rules answer invalid_argument)');

-- claim_warmups ------------------------------------------------------------------------------
SELECT tests.authenticate_as_worker();
SELECT results_eq(
  $$SELECT org_id, warmup_url, warmed_for FROM integration_ops.claim_warmups('w1', 10)$$,
  $$SELECT 'c0000000-0000-0000-0000-000000000001'::uuid, 'http://127.0.0.1:9/warm'::text, now() + interval '20 seconds'$$,
  'claim_warmups: only the enabled scheduled pair with a warmup_url whose period starts within the lead');
SELECT is_empty($$SELECT * FROM integration_ops.claim_warmups('w2', 10)$$,
  'a second claim for the same period finds nothing (two workers never both warm)');
SELECT tests.clear_authentication();
SELECT is((SELECT claimed_by FROM integration_ops.integration_warmups WHERE org_id = 'c0000000-0000-0000-0000-000000000001'),
  'w1', 'the claim records the worker');
SELECT is_empty($$SELECT FROM integration_ops.integration_warmups
                  WHERE org_id IN ('c0000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000003',
                                   'c0000000-0000-0000-0000-000000000004', 'c0000000-0000-0000-0000-000000000005')$$,
  'no warm-up for pairs without warmup_url, disabled, beyond the lead or manual only');
SELECT is((SELECT count(*)::integer FROM public.sync_run_log WHERE org_id = 'c0000000-0000-0000-0000-000000000001'),
  0, 'a warm-up creates no run');
SELECT is((SELECT count(*)::integer FROM public.integration_health_status
            WHERE org_id = 'c0000000-0000-0000-0000-000000000001'
              AND (status IS NOT NULL OR checked_at IS NOT NULL OR latency_ms IS NOT NULL)),
  0, 'a warm-up writes no health status');

DO $$
BEGIN
  UPDATE public.organization_integrations SET next_sync_at = now() + interval '25 seconds'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000001';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((SELECT count(*)::integer FROM integration_ops.claim_warmups('w2', 10)), 1,
  'the next period is claimable again');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_warmups('w1', 0)$$, 'PT400', 'invalid_argument', 'max_pairs 0');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_warmups('', 5)$$, 'PT400', 'invalid_argument', 'empty worker_id');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('cold_admin', 'c0000000-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_warmups('w1', 5)$$, '42501', NULL, 'authenticated may not claim warm-ups');
SELECT throws_ok($$SELECT integration_ops.record_warmup('c0000000-0000-0000-0000-000000000001', 'xledger', 204)$$,
  '42501', NULL, 'authenticated may not record warm-ups');
SELECT throws_ok($$SELECT * FROM integration_ops.mark_cold_start(gen_random_uuid(), 'timeout', 'w1')$$,
  '42501', NULL, 'authenticated may not mark cold starts');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT * FROM integration_ops.claim_warmups('w1', 5)$$, '42501', NULL, 'anon may not claim warm-ups');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$SELECT * FROM integration_ops.claim_warmups('svc', 5)$$, 'service_role may claim warm-ups');
SELECT tests.clear_authentication();

-- record_warmup ------------------------------------------------------------------------------
SELECT tests.authenticate_as_worker();
SELECT is(integration_ops.record_warmup('c0000000-0000-0000-0000-000000000001', 'xledger', 204, 'w1'), now(),
  'record_warmup returns the time recorded');
SELECT throws_ok($$SELECT integration_ops.record_warmup('c0000000-0000-0000-0000-000000000001', 'xledger', 99)$$,
  'PT400', 'invalid_argument', 'http_status out of range');
SELECT throws_ok($$SELECT integration_ops.record_warmup('c0000000-0000-0000-0000-0000000000ff', 'xledger', 204)$$,
  'PT404', 'integration_not_configured', 'unknown pair');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT answered_at, http_status FROM integration_ops.integration_warmups WHERE org_id = 'c0000000-0000-0000-0000-000000000001'$$,
  $$SELECT now(), 204$$, 'the answer is recorded');
SELECT is((SELECT count(*)::integer FROM public.sync_run_log WHERE org_id = 'c0000000-0000-0000-0000-000000000001'),
  0, 'recording a warm-up creates no run');
SELECT is((SELECT count(*)::integer FROM public.integration_health_status
            WHERE org_id = 'c0000000-0000-0000-0000-000000000001'
              AND (status IS NOT NULL OR checked_at IS NOT NULL OR latency_ms IS NOT NULL)),
  0, 'recording a warm-up writes no health status');

-- mark_cold_start ----------------------------------------------------------------------------
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, scheduled_for, idempotency_key)
  VALUES ('c6000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000006', 'xledger', 'pending',
          'scheduler', now(), 'c6:xledger:cold');
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w1', started_at = now()
   WHERE id = 'c6000000-0000-0000-0000-000000000001';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq($$SELECT cold_start, warmup_url FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000001', 'http_500', 'w1')$$,
  $$VALUES (false, 'http://127.0.0.1:9/warm'::text)$$, 'an HTTP error is not a cold start');
SELECT results_eq($$SELECT cold_start, warmup_url FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000001', 'timeout', 'w1')$$,
  $$VALUES (true, 'http://127.0.0.1:9/warm'::text)$$, 'a timeout on an idle endpoint is a cold start (a 0.2 worker''s call: three arguments)');
SELECT results_eq($$SELECT cold_start, warmup_url FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000001', 'timeout', 'w1')$$,
  $$VALUES (true, 'http://127.0.0.1:9/warm'::text)$$, 'asking again gives the same answer');
SELECT throws_ok($$SELECT * FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000001', 'timeout', 'w2')$$,
  'PT409', 'invalid_transition', 'another worker''s run is refused');
SELECT throws_ok($$SELECT * FROM integration_ops.mark_cold_start(gen_random_uuid(), 'timeout', 'w1')$$,
  'PT404', 'run_not_found', 'unknown run');
SELECT tests.clear_authentication();
SELECT results_eq($$SELECT status, cold_start FROM public.sync_run_log WHERE id = 'c6000000-0000-0000-0000-000000000001'$$,
  $$VALUES ('running'::text, true)$$, 'the run is marked cold_start and stays running for the retry');

DO $$
BEGIN
  -- a warm-up answered 5 minutes before the run started: the endpoint was warm
  UPDATE public.sync_run_log SET status = 'failed', error_code = 'timeout', ended_at = now()
   WHERE id = 'c6000000-0000-0000-0000-000000000001';
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, scheduled_for, idempotency_key)
  VALUES ('c6000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-000000000006', 'xledger', 'pending',
          'scheduler', now(), 'c6:xledger:warm');
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w1', started_at = now()
   WHERE id = 'c6000000-0000-0000-0000-000000000002';
  INSERT INTO integration_ops.integration_warmups (org_id, integration_type, answered_at, http_status)
  VALUES ('c0000000-0000-0000-0000-000000000006', 'xledger', now() - interval '5 minutes', 204);
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq($$SELECT cold_start FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000002', 'connection_error', 'w1')$$,
  $$VALUES (false)$$, 'not cold after a warm-up answered within cold_start_idle');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE integration_ops.integration_warmups SET answered_at = now() - interval '11 minutes'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000006';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq($$SELECT cold_start FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000002', 'connection_error', 'w1')$$,
  $$VALUES (true)$$, 'cold when the last warm-up answered longer ago than cold_start_idle');
SELECT tests.clear_authentication();

-- A manual run is never a cold start
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'failed', error_code = 'timeout', ended_at = now()
   WHERE id = 'c6000000-0000-0000-0000-000000000002';
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by)
  VALUES ('c6000000-0000-0000-0000-000000000003', 'c0000000-0000-0000-0000-000000000006', 'xledger', 'pending', 'manual');
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w1', started_at = now()
   WHERE id = 'c6000000-0000-0000-0000-000000000003';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq($$SELECT cold_start FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000003', 'timeout', 'w1')$$,
  $$VALUES (false)$$, 'a manual run is never a cold start');
SELECT tests.clear_authentication();

-- A completed run within cold_start_idle keeps the endpoint warm
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now() - interval '2 minutes'
   WHERE id = 'c6000000-0000-0000-0000-000000000003';
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, scheduled_for, idempotency_key)
  VALUES ('c6000000-0000-0000-0000-000000000004', 'c0000000-0000-0000-0000-000000000006', 'xledger', 'pending',
          'scheduler', now(), 'c6:xledger:after-success');
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w1', started_at = now()
   WHERE id = 'c6000000-0000-0000-0000-000000000004';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq($$SELECT cold_start FROM integration_ops.mark_cold_start('c6000000-0000-0000-0000-000000000004', 'timeout', 'w1')$$,
  $$VALUES (false)$$, 'not cold after a completed run within cold_start_idle');
SELECT tests.clear_authentication();

-- 0.3: a 0.3 worker's cold start is the period's next attempt (as_attempt) ---------------
DO $$
BEGIN
  PERFORM tests.add_integration('c7c7c7c7-0000-4000-8000-0000000000c7', 'xledger', interval '1 hour');
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, scheduled_for, idempotency_key)
  VALUES ('c7000000-0000-0000-0000-000000000001', 'c7c7c7c7-0000-4000-8000-0000000000c7', 'xledger', 'pending',
          'scheduler', now(), 'c7:xledger:cold');
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w1', started_at = now()
   WHERE id = 'c7000000-0000-0000-0000-000000000001';
END
$$;
SELECT tests.authenticate_as_worker();
CREATE TEMP TABLE cold_answer ON COMMIT DROP AS
  SELECT * FROM integration_ops.mark_cold_start('c7000000-0000-0000-0000-000000000001', 'timeout', 'w1', as_attempt => true);
SELECT results_eq($$SELECT cold_start, warmup_url, retry_run_id IS NOT NULL FROM cold_answer$$,
  $$VALUES (true, NULL::text, true)$$, 'as_attempt: a cold start returns the next attempt''s id');
SELECT results_eq($$SELECT retry_run_id FROM integration_ops.mark_cold_start('c7000000-0000-0000-0000-000000000001', 'timeout', 'w1', as_attempt => true)$$,
  $$SELECT retry_run_id FROM cold_answer$$, 'asking again gives the same attempt');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT status, error_code, cold_start, attempt FROM public.sync_run_log WHERE id = 'c7000000-0000-0000-0000-000000000001'$$,
  $$VALUES ('failed'::text, 'timeout'::text, false, 1)$$, 'the cold attempt ends failed with its own error');
SELECT results_eq(
  $$SELECT r.status, r.attempt, r.retry_of, r.idempotency_key, r.worker_id, r.cold_start, r.triggered_by, r.scheduled_for IS NOT NULL
      FROM public.sync_run_log AS r JOIN cold_answer AS a ON r.id = a.retry_run_id$$,
  $$VALUES ('running'::text, 2, 'c7000000-0000-0000-0000-000000000001'::uuid, 'c7:xledger:cold'::text, 'w1'::text, true, 'scheduler'::text, true)$$,
  'the retry is attempt 2 of the same period and key, running on this worker, carrying cold_start');
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'failed', error_code = 'http_400', ended_at = now()
   WHERE retry_of = 'c7000000-0000-0000-0000-000000000001';
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, scheduled_for, idempotency_key, attempt)
  VALUES ('c7000000-0000-0000-0000-000000000003', 'c7c7c7c7-0000-4000-8000-0000000000c7', 'xledger', 'pending',
          'scheduler', now(), 'c7:xledger:last', (SELECT retry_max_attempts FROM integration_ops.settings));
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w1', started_at = now()
   WHERE id = 'c7000000-0000-0000-0000-000000000003';
  UPDATE integration_ops.integration_warmups SET answered_at = now() - interval '1 hour'
   WHERE org_id = 'c7c7c7c7-0000-4000-8000-0000000000c7';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq($$SELECT cold_start, retry_run_id FROM integration_ops.mark_cold_start('c7000000-0000-0000-0000-000000000003', 'timeout', 'w1', as_attempt => true)$$,
  $$VALUES (false, NULL::uuid)$$, 'the period''s last attempt gets no cold-start retry (none left)');
SELECT tests.clear_authentication();

-- Archival carries cold_start ----------------------------------------------------------------
DO $$
BEGIN
  UPDATE public.sync_run_log SET ended_at = now() - interval '200 days', started_at = now() - interval '200 days'
   WHERE id = 'c6000000-0000-0000-0000-000000000001';
  PERFORM integration_ops.archive_sync_run_log();
END
$$;
SELECT is((SELECT cold_start FROM integration_ops.sync_run_log_archive WHERE id = 'c6000000-0000-0000-0000-000000000001'),
  true, 'archive_sync_run_log carries cold_start');

-- pg_net warm-ups (stand-in net schema, or the real pg_net) -------------------------------
SELECT is(integration_ops.send_pg_net_warmups(), 0, 'send_pg_net_warmups without pg_net pairs: 0');
DO $$
BEGIN
  -- this transaction only: no pg_net pair with a warmup_url (pairs other tests committed)
  UPDATE public.organization_integrations SET warmup_url = NULL
   WHERE warmup_url IS NOT NULL AND delivery = 'pg_net';
END
$$;
SELECT is((SELECT active FROM cron.job WHERE jobname = 'integration_send_pg_net_warmups'), false,
  'no enabled pg_net pair with a warmup_url: the warm-up job does not run (no idle cost)');
DO $$
BEGIN
  -- pg_net's and Vault's own definitions (tests/helpers/pgtap_helpers.sql), or the real ones
  PERFORM tests.install_pg_net_standin();
  PERFORM tests.install_vault_standin();
  -- 0.3: the service-role key stays in Vault (as 0.2 had it) but is never sent; the calls are
  -- signed with the webhook secret and carry the gateway (anon) key
  PERFORM vault.create_secret('service-key-never-sent', s.pg_net_vault_secret, 'the 0.2 service key')
     FROM integration_ops.settings AS s;
  PERFORM vault.create_secret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', s.webhook_secret_name, 'signing secret')
     FROM integration_ops.settings AS s;
  PERFORM vault.create_secret('anon-key-123', 'integration_gateway_key', 'gateway key');
  UPDATE integration_ops.settings SET gateway_key_secret_name = 'integration_gateway_key';
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000007', 'xledger', interval '1 hour');
  UPDATE public.organization_integrations
     SET delivery = 'pg_net', warmup_url = 'http://127.0.0.1:9/pgnet-warm', next_sync_at = now() + interval '10 seconds'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000007';
  -- a disabled pg_net pair with a warmup_url is never warmed
  PERFORM tests.add_integration('c0000000-0000-0000-0000-000000000008', 'xledger', interval '1 hour');
  UPDATE public.organization_integrations
     SET delivery = 'pg_net', warmup_url = 'http://127.0.0.1:9/pgnet-off', next_sync_at = now() + interval '10 seconds',
         enabled = false
   WHERE org_id = 'c0000000-0000-0000-0000-000000000008';
END
$$;
SELECT is((SELECT active FROM cron.job WHERE jobname = 'integration_send_pg_net_warmups'), true,
  'an enabled pg_net pair with a warmup_url switches the warm-up job on');
SELECT tests.authenticate_as_worker();
SELECT is_empty($$SELECT * FROM integration_ops.claim_warmups('w1', 10)
                  WHERE org_id = 'c0000000-0000-0000-0000-000000000007'$$, 'the worker never warms a pg_net pair');
SELECT tests.clear_authentication();
SELECT is(integration_ops.send_pg_net_warmups(), 1, 'one pg_net warm-up sent');
SELECT results_eq(
  $$SELECT method::text, url, headers->>'Authorization', headers->>'webhook-id' LIKE 'warmup:c0000000-0000-0000-0000-000000000007:xledger:%',
           headers->>'webhook-signature' LIKE 'v1,%', headers::text LIKE '%service-key-never-sent%'
      FROM net.http_request_queue WHERE url LIKE '%pgnet%'$$,
  $$VALUES ('GET'::text, 'http://127.0.0.1:9/pgnet-warm'::text, 'Bearer anon-key-123'::text, true, true, false)$$,
  'a signed GET to warmup_url with the gateway key, never the service key; none to the disabled pair');
SELECT is(integration_ops.send_pg_net_warmups(), 0, 'sent once per period');
DO $$
BEGIN
  INSERT INTO net._http_response (id, status_code, created)
  SELECT w.net_request_id, 204, now() FROM integration_ops.integration_warmups AS w
   WHERE w.org_id = 'c0000000-0000-0000-0000-000000000007';
  PERFORM integration_ops.send_pg_net_warmups();
END
$$;
SELECT results_eq(
  $$SELECT answered_at, http_status, net_request_id FROM integration_ops.integration_warmups
     WHERE org_id = 'c0000000-0000-0000-0000-000000000007'$$,
  $$SELECT now(), 204, NULL::bigint$$, 'the pg_net answer is recorded');
SELECT is((SELECT count(*)::integer FROM public.sync_run_log WHERE org_id = 'c0000000-0000-0000-0000-000000000007'),
  0, 'a pg_net warm-up creates no run');
SELECT ok(EXISTS (SELECT FROM cron.job WHERE jobname = 'integration_send_pg_net_warmups'),
  'the pg_cron job is registered');
DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false
   WHERE org_id = 'c0000000-0000-0000-0000-000000000007';
END
$$;
SELECT is((SELECT active FROM cron.job WHERE jobname = 'integration_send_pg_net_warmups'), true,
  'disabling the last such pair takes no global lock: the job stays on until it runs');
SELECT is(integration_ops.send_pg_net_warmups(), 0, 'its next run finds nothing to warm');
SELECT is((SELECT active FROM cron.job WHERE jobname = 'integration_send_pg_net_warmups'), false,
  'and switches the job off (0.3: no global lock on pair writes)');

SELECT * FROM finish();
ROLLBACK;
