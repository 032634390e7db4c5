-- Dispatch engine (issue 5, SQL side): aligned schedules, dispatch_due_syncs, worker RPCs,
-- reaper, privileges, pg_cron jobs.
BEGIN;
SELECT plan(61);

DO $$
BEGIN
  -- Only this file's pairs are due (rolled back at the end).
  UPDATE public.organization_integrations SET enabled = false;
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
  PERFORM tests.create_user('gina_global');
END
$$;

-- Aligned schedules ------------------------------------------------------------------------
DO $$
BEGIN
  PERFORM tests.add_integration('eeeeeeee-0000-0000-0000-000000000005', 'xledger', interval '1 hour');
END
$$;
SELECT is((SELECT next_sync_at FROM public.organization_integrations
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'),
  date_bin('1 hour', now(), '2000-01-01 00:00+00') + interval '1 hour',
  'a new schedule gets the next aligned boundary after now()');
DO $$
BEGIN
  UPDATE public.organization_integrations SET sync_interval = '15 minutes', sync_anchor = '2000-01-01 00:05+00'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT next_sync_at FROM public.organization_integrations
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'),
  date_bin('15 minutes', now(), '2000-01-01 00:05+00') + interval '15 minutes',
  'changing interval/anchor realigns next_sync_at');
SELECT ok((SELECT (extract(epoch FROM next_sync_at - '2000-01-01 00:05+00'::timestamptz)::bigint % 900) = 0
             FROM public.organization_integrations
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'),
  'next_sync_at is anchor + k * interval');
DO $$
BEGIN
  UPDATE public.organization_integrations SET sync_interval = NULL
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT next_sync_at FROM public.organization_integrations
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'),
  NULL, 'manual-only (NULL interval) has no next_sync_at');
SELECT throws_ok($$UPDATE public.organization_integrations SET sync_interval = '1 month'
                    WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005'$$,
  'PT400', 'invalid_argument', 'month intervals are refused (no fixed length)');
SELECT is(integration_ops.next_sync_slot('1 hour', '2000-01-01 00:00+00', '2026-05-05 10:00+00'),
  '2026-05-05 11:00+00'::timestamptz, 'next_sync_slot on a boundary gives the next one');

-- Nothing due: return at once ------------------------------------------------------------------
SELECT is(integration_ops.dispatch_due_syncs(),
  '{"triggered": 0, "skipped": 0, "failed": 0, "run_ids": []}'::jsonb,
  'zero due pairs: {"triggered":0,"skipped":0,"failed":0,"run_ids":[]}');

-- Due pairs --------------------------------------------------------------------------------------
DO $$
DECLARE
  v_hour timestamptz := date_bin('1 hour', now(), '2000-01-01 00:00+00');
BEGIN
  UPDATE public.organization_integrations SET sync_interval = '1 hour', sync_anchor = '2000-01-01 00:00+00', next_sync_at = v_hour
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  INSERT INTO public.organization_integrations (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, secret_ref)
  VALUES ('eeeeeeee-0000-0000-0000-000000000005', 'dynamics', '15 minutes',
          date_bin('15 minutes', now(), '2000-01-01 00:00+00'), 'http://127.0.0.1:9/dyn', 'DYN_KEY'),
         ('eeeeeeee-0000-0000-0000-000000000005', 'bufdir', '1 hour', v_hour, 'http://127.0.0.1:9/buf', NULL),
         -- not due: manual only / disabled / in the future
         ('ffffffff-0000-0000-0000-000000000006', 'xledger', NULL, NULL, 'http://127.0.0.1:9/x', NULL),
         ('ffffffff-0000-0000-0000-000000000006', 'dynamics', '1 hour', v_hour - interval '1 hour', 'http://127.0.0.1:9/x', NULL),
         ('ffffffff-0000-0000-0000-000000000006', 'bufdir', '1 hour', v_hour + interval '1 hour', 'http://127.0.0.1:9/x', NULL);
  UPDATE public.organization_integrations SET enabled = false
   WHERE org_id = 'ffffffff-0000-0000-0000-000000000006' AND integration_type = 'dynamics';
  -- bufdir has a running run seen 1 minute ago: skipped
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, started_at, heartbeat_at, worker_id)
  VALUES ('40000000-0000-0000-0000-000000000001', 'eeeeeeee-0000-0000-0000-000000000005', 'bufdir', 'running', 'manual',
          now() - interval '10 minutes', now() - interval '1 minute', 'w-old');
  PERFORM set_config('tests.dispatch', integration_ops.dispatch_due_syncs()::text, true);
END
$$;
SELECT is((current_setting('tests.dispatch')::jsonb - 'run_ids'),
  '{"triggered": 2, "skipped": 1, "failed": 0}'::jsonb,
  'two due pairs triggered, the pair with a running run skipped');
SELECT is(jsonb_array_length(current_setting('tests.dispatch')::jsonb -> 'run_ids'), 2, 'run_ids lists the two runs');
SELECT results_eq(
  $$SELECT integration_type, status, triggered_by, triggered_by_user_id IS NULL, scheduled_for, idempotency_key
      FROM public.sync_run_log WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND status = 'pending'
     ORDER BY integration_type$$,
  $$VALUES
    ('dynamics'::text, 'pending'::text, 'scheduler'::text, true, date_bin('15 minutes', now(), '2000-01-01 00:00+00'),
     'eeeeeeee-0000-0000-0000-000000000005:dynamics:' || to_char(date_bin('15 minutes', now(), '2000-01-01 00:00+00') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
    ('xledger'::text, 'pending'::text, 'scheduler'::text, true, date_bin('1 hour', now(), '2000-01-01 00:00+00'),
     'eeeeeeee-0000-0000-0000-000000000005:xledger:' || to_char(date_bin('1 hour', now(), '2000-01-01 00:00+00') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))$$,
  'pending scheduler runs with scheduled_for = period and idempotency_key = org:type:period');
SELECT set_eq(
  $$SELECT (elem #>> '{}')::uuid FROM jsonb_array_elements(current_setting('tests.dispatch')::jsonb -> 'run_ids') AS elem$$,
  $$SELECT id FROM public.sync_run_log WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND status = 'pending'$$,
  'run_ids are the created runs');
SELECT results_eq(
  $$SELECT integration_type, next_sync_at FROM public.organization_integrations
     WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' ORDER BY integration_type$$,
  $$VALUES ('bufdir'::text, date_bin('1 hour', now(), '2000-01-01 00:00+00')),
           ('dynamics'::text, date_bin('15 minutes', now(), '2000-01-01 00:00+00') + interval '15 minutes'),
           ('xledger'::text, date_bin('1 hour', now(), '2000-01-01 00:00+00') + interval '1 hour')$$,
  'next_sync_at advanced to the next aligned boundary; the skipped pair stays due');
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id = 'ffffffff-0000-0000-0000-000000000006'), 0,
  'manual-only, disabled and not-yet-due pairs get no run');
SELECT ok((SELECT bool_and(drift_seconds >= 0 AND drift_seconds < 3600) FROM public.sync_run_log
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND status = 'pending'),
  'drift_seconds = started_at - scheduled_for is recorded');

-- A second tick creates nothing new
SELECT is((integration_ops.dispatch_due_syncs() - 'run_ids'), '{"triggered": 0, "skipped": 1, "failed": 0}'::jsonb,
  'a repeated tick triggers nothing (only the busy pair is seen, and skipped)');
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005'), 3,
  'still exactly one run per due pair');

-- Idempotency: the same period again never yields a second run
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'running'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now()
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  UPDATE public.organization_integrations SET next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00') + interval '10 minutes'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  -- due again for the SAME period (its start; now() - 1 minute would be the previous
  -- period in the first minute of an hour)
  UPDATE public.organization_integrations SET next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00')
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger';
  PERFORM set_config('tests.dispatch', integration_ops.dispatch_due_syncs()::text, true);
END
$$;
SELECT is((current_setting('tests.dispatch')::jsonb - 'run_ids'), '{"triggered": 0, "skipped": 2, "failed": 0}'::jsonb,
  'a period that already ran is skipped (idempotency key, ON CONFLICT DO NOTHING)');
SELECT is((SELECT count(*)::int FROM public.sync_run_log
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'), 1,
  'no second run for the same period');
SELECT is((SELECT next_sync_at FROM public.organization_integrations
            WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'xledger'),
  date_bin('1 hour', now(), '2000-01-01 00:00+00') + interval '1 hour', 'and the schedule moves on');

-- A late tick keeps the period and records the drift
DO $$
BEGIN
  UPDATE public.organization_integrations
     SET enabled = true, next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '2 hours'
   WHERE org_id = 'ffffffff-0000-0000-0000-000000000006' AND integration_type = 'dynamics';
  PERFORM integration_ops.dispatch_due_syncs();
END
$$;
SELECT results_eq(
  $$SELECT scheduled_for, drift_seconds >= 7200 FROM public.sync_run_log
     WHERE org_id = 'ffffffff-0000-0000-0000-000000000006' AND integration_type = 'dynamics'$$,
  $$VALUES (date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '2 hours', true)$$,
  'a late run keeps its period (scheduled_for) and its drift is recorded');
SELECT is((SELECT next_sync_at FROM public.organization_integrations
            WHERE org_id = 'ffffffff-0000-0000-0000-000000000006' AND integration_type = 'dynamics'),
  date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '1 hour',
  'missed periods are replayed (0.2): the schedule advances one period, so the next missed period stays due');

-- Worker RPCs ----------------------------------------------------------------------------------
DO $$
BEGIN
  -- make the claim order observable (inside one transaction every now() is equal)
  UPDATE public.sync_run_log SET created_at = now() - interval '1 second'
   WHERE org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND integration_type = 'dynamics';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs('w1', 0)$$, 'PT400', 'invalid_argument', 'claim: max_runs 0');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs('w1', NULL)$$, 'PT400', 'invalid_argument', 'claim: NULL max_runs');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs(NULL, 5)$$, 'PT400', 'invalid_argument', 'claim: NULL worker_id');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs(' ', 5)$$, 'PT400', 'invalid_argument', 'claim: blank worker_id');
DO $$
BEGIN
  PERFORM set_config('tests.claimed', (SELECT jsonb_agg(to_jsonb(c))::text FROM integration_ops.claim_sync_runs('w1', 1) AS c), true);
END
$$;
SELECT is(jsonb_array_length(current_setting('tests.claimed')::jsonb), 1, 'claim respects max_runs');
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(current_setting('tests.claimed')::jsonb -> 0) AS k),
  ARRAY['endpoint_url', 'idempotency_key', 'integration_type', 'org_id', 'run_id', 'scheduled_for', 'secret_ref', 'triggered_by'],
  'claim returns the DESIGN §8 columns');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT r.integration_type, r.status, r.worker_id, r.started_at = now(), r.heartbeat_at = now(), c ->> 'endpoint_url', c ->> 'secret_ref'
      FROM public.sync_run_log AS r, jsonb_array_elements(current_setting('tests.claimed')::jsonb) AS c
     WHERE r.id = (c ->> 'run_id')::uuid$$,
  $$VALUES ('dynamics'::text, 'running'::text, 'w1'::text, true, true, 'http://127.0.0.1:9/dyn'::text, 'DYN_KEY'::text)$$,
  'the oldest pending run is claimed: running, worker_id, started_at and heartbeat_at set, endpoint and secret_ref returned');
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  PERFORM set_config('tests.claimed2', (SELECT jsonb_agg(c.run_id)::text FROM integration_ops.claim_sync_runs('w2', 10) AS c), true);
END
$$;
SELECT is(jsonb_array_length(current_setting('tests.claimed2')::jsonb), 1, 'a second worker claims the rest');
SELECT is((SELECT count(*)::int FROM integration_ops.claim_sync_runs('w2', 10)), 0, 'nothing is claimed twice');
SELECT is(integration_ops.heartbeat_sync_runs('w1', ARRAY(SELECT (c ->> 'run_id')::uuid FROM jsonb_array_elements(current_setting('tests.claimed')::jsonb) AS c)),
  1, 'heartbeat refreshes the worker''s own running run');
SELECT is(integration_ops.heartbeat_sync_runs('w2', ARRAY(SELECT (c ->> 'run_id')::uuid FROM jsonb_array_elements(current_setting('tests.claimed')::jsonb) AS c)),
  0, 'another worker''s heartbeat does not touch it');
SELECT throws_ok($$SELECT integration_ops.heartbeat_sync_runs(NULL, ARRAY[]::uuid[])$$, 'PT400', 'invalid_argument', 'heartbeat: NULL worker_id');
SELECT results_eq(
  $$SELECT status, records_processed, records_failed, ended_at IS NOT NULL, error_code
      FROM integration_ops.complete_sync_run((current_setting('tests.claimed')::jsonb -> 0 ->> 'run_id')::uuid, 12, 1)$$,
  $$VALUES ('completed'::text, 12, 1, true, NULL::text)$$,
  'complete_sync_run: running -> completed with counts and ended_at');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run((current_setting('tests.claimed')::jsonb -> 0 ->> 'run_id')::uuid, 1, 0)$$,
  'PT409', 'invalid_transition', 'completing twice is an invalid_transition');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run((current_setting('tests.claimed')::jsonb -> 0 ->> 'run_id')::uuid, 'timeout', 'late')$$,
  'PT409', 'invalid_transition', 'a completed run cannot fail');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('99999999-0000-0000-0000-000000000000', 1, 0)$$,
  'PT404', 'run_not_found', 'complete: unknown id');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run((current_setting('tests.claimed')::jsonb -> 0 ->> 'run_id')::uuid, -1, 0)$$,
  'PT400', 'invalid_argument', 'complete: negative count');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('99999999-0000-0000-0000-000000000000', 'timeout', NULL)$$,
  'PT404', 'run_not_found', 'fail: unknown id');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('99999999-0000-0000-0000-000000000000', 'HTTP 500!', NULL)$$,
  'PT400', 'invalid_argument', 'fail: error_code must be a code');
SELECT results_eq(
  $$SELECT status, error_code, error_message, ended_at IS NOT NULL
      FROM integration_ops.fail_sync_run(
        (current_setting('tests.claimed2')::jsonb ->> 0)::uuid, 'http_503',
        'upstream said 503 Authorization: Bearer sekrit123')$$,
  $$VALUES ('failed'::text, 'http_503'::text, 'upstream said 503 Authorization: Bearer [redacted]'::text, true)$$,
  'fail_sync_run: running -> failed with the code and a sanitised message');

-- Reaper -----------------------------------------------------------------------------------------
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE integration_ops.settings SET stale_run_timeout = interval '1 minute';
  UPDATE public.sync_run_log SET heartbeat_at = now() - interval '2 minutes'
   WHERE id = '40000000-0000-0000-0000-000000000001';
  -- a pending run and a fresh running run are never reaped
  UPDATE public.sync_run_log SET heartbeat_at = now()
   WHERE status = 'running' AND id <> '40000000-0000-0000-0000-000000000001';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is(integration_ops.reap_stale_sync_runs(), 1, 'the reaper fails the run without a heartbeat for the stale timeout');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT status, error_code, ended_at IS NOT NULL, error_message LIKE '%w-old%' FROM public.sync_run_log
     WHERE id = '40000000-0000-0000-0000-000000000001'$$,
  $$VALUES ('failed'::text, 'worker_lost'::text, true, true)$$,
  'reaped: failed, worker_lost, ended_at, the message names the worker');
SELECT is(integration_ops.reap_stale_sync_runs(), 0, 'reaping again changes nothing');
DO $$
BEGIN
  PERFORM set_config('tests.dispatch', integration_ops.dispatch_due_syncs()::text, true);
END
$$;
SELECT ok(EXISTS (SELECT FROM public.sync_run_log
                   WHERE retry_of = '40000000-0000-0000-0000-000000000001' AND status = 'pending' AND attempt = 2
                     AND idempotency_key = '40000000-0000-0000-0000-000000000001' AND not_before IS NOT NULL),
  'the reaped run''s period gets its next attempt (0.3: worker_lost is transient), keyed like the first');
SELECT ok(NOT EXISTS (SELECT FROM public.sync_run_log AS r
                       WHERE r.org_id = 'eeeeeeee-0000-0000-0000-000000000005' AND r.integration_type = 'bufdir'
                         AND r.id::text IN (SELECT jsonb_array_elements_text(current_setting('tests.dispatch')::jsonb -> 'run_ids'))),
  'the waiting retry is the pair''s active run: the dispatcher starts nothing else for it');

-- Privileges ---------------------------------------------------------------------------------------
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$SELECT integration_ops.dispatch_due_syncs()$$, 'service_role may dispatch');
SELECT lives_ok($$SELECT integration_ops.reap_stale_sync_runs()$$, 'service_role may reap');
SELECT lives_ok($$SELECT * FROM integration_ops.claim_sync_runs('svc', 1)$$, 'service_role may claim');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT throws_ok($$SELECT integration_ops.dispatch_due_syncs()$$, '42501', NULL, 'authenticated (even a global admin) cannot dispatch');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs('x', 1)$$, '42501', NULL, 'authenticated cannot claim');
SELECT throws_ok($$SELECT integration_ops.heartbeat_sync_runs('x', ARRAY[]::uuid[])$$, '42501', NULL, 'authenticated cannot heartbeat');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('99999999-0000-0000-0000-000000000000', 0, 0)$$, '42501', NULL, 'authenticated cannot complete');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('99999999-0000-0000-0000-000000000000', 'x', NULL)$$, '42501', NULL, 'authenticated cannot fail');
SELECT throws_ok($$SELECT integration_ops.reap_stale_sync_runs()$$, '42501', NULL, 'authenticated cannot reap');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT integration_ops.dispatch_due_syncs()$$, '42501', NULL, 'anon cannot dispatch');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs('x', 1)$$, '42501', NULL, 'anon cannot claim');
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT integration_ops.wake_sync_delivery(ARRAY[]::uuid[])$$, '42501', NULL, 'the worker cannot call the internal wake-up');
SELECT throws_ok($$SELECT integration_ops.enqueue_sync_runs('{}', '{}', 'manual', NULL, '{}', '{}')$$, '42501', NULL, 'the worker cannot call the internal insert path');
SELECT throws_ok($$UPDATE public.sync_run_log SET status = 'failed'$$, '42501', NULL, 'the worker cannot write the table directly');
SELECT tests.clear_authentication();

-- pg_cron -----------------------------------------------------------------------------------------
SELECT is(
  (SELECT string_agg(jobname || ' @ ' || schedule, '; ' ORDER BY jobname) FROM cron.job
    WHERE jobname IN ('integration_dispatch_due_syncs', 'integration_reap_stale_sync_runs')),
  'integration_dispatch_due_syncs @ * * * * *; integration_reap_stale_sync_runs @ */5 * * * *',
  'dispatch every minute and reaper every 5 minutes are registered once each');

SELECT * FROM finish();
ROLLBACK;
