-- Outcomes, not only runs (0.3, issue 22, DESIGN §13): retries with backoff and Retry-After,
-- final codes, exhausted chains, retry_sync_run, flow control per type, the catch-up bound,
-- one pair lock (claims skip pairs that are not enabled), limits, lag.
BEGIN;
SELECT plan(62);

DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false;  -- only this file's pairs count
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
  PERFORM tests.add_standard_members();
  INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, health_mode)
  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'http://127.0.0.1:9/x', 'disabled'),
         ('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics', 'http://127.0.0.1:9/d', 'disabled'),
         ('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'http://127.0.0.1:9/x', 'disabled')
  ON CONFLICT (org_id, integration_type) DO UPDATE SET enabled = true, delivery = 'worker';
  -- a running scheduled attempt 1 on org A's xledger, claimed by w-a
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, worker_id,
                                   heartbeat_at, scheduled_for, idempotency_key)
  VALUES ('d1000000-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger',
          'running', 'scheduler', 'w-a', now(), '2026-01-01 10:00+00', 'aaaa:xledger:2026-01-01T10:00:00Z');
END
$$;

-- Retries: a transient code gets the period's next attempt ---------------------------------
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.fail_sync_run('d1000000-0000-0000-0000-000000000001', 'http_503', 'down',
           worker_id => 'w-a')).status, 'failed', 'a 503 fails the attempt');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE retry_of = 'd1000000-0000-0000-0000-000000000001'),
  1, 'one next attempt');
SELECT results_eq(
  $$SELECT status, attempt, idempotency_key, scheduled_for, triggered_by
      FROM public.sync_run_log WHERE retry_of = 'd1000000-0000-0000-0000-000000000001'$$,
  $$VALUES ('pending'::text, 2, 'aaaa:xledger:2026-01-01T10:00:00Z'::text, '2026-01-01 10:00+00'::timestamptz, 'scheduler'::text)$$,
  'attempt 2: pending, same idempotency key, scheduled_for and triggered_by');
SELECT ok((SELECT not_before BETWEEN now() AND now() + interval '30 seconds'
             FROM public.sync_run_log WHERE retry_of = 'd1000000-0000-0000-0000-000000000001'),
  'full-jitter backoff after attempt 1: within [0, retry_base_delay]');

-- the waiting retry is an active run: claims skip it until not_before, new runs are refused
SELECT tests.authenticate_as_worker();
SELECT is_empty($$SELECT * FROM integration_ops.claim_sync_runs('w-b', 10)
                   WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z'$$,
  'a retry is not claimed before its not_before');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT409', 'sync_already_in_progress', 'a waiting retry is an active run');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE public.sync_run_log SET not_before = now() - interval '1 second'
   WHERE retry_of = 'd1000000-0000-0000-0000-000000000001';
END
$$;
DO $$
BEGIN
  PERFORM set_config('t.attempt2', (SELECT id::text FROM public.sync_run_log
                                     WHERE retry_of = 'd1000000-0000-0000-0000-000000000001'), true);
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((SELECT count(*)::int FROM integration_ops.claim_sync_runs('w-b', 10)
            WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z'),
  1, 'past its not_before the retry is claimed');
-- Retry-After in seconds
SELECT is((integration_ops.fail_sync_run(current_setting('t.attempt2')::uuid,
             'http_429', 'slow down', worker_id => 'w-b', retry_after => '120')).attempt,
  2, 'attempt 2 fails with 429 and Retry-After: 120');
SELECT tests.clear_authentication();
SELECT is((SELECT not_before - now() FROM public.sync_run_log
            WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt = 3),
  interval '120 seconds', 'attempt 3 waits exactly the Retry-After seconds');

-- Retry-After as an HTTP-date, and the cap
SELECT is(integration_ops.retry_delay(1, to_char(now() AT TIME ZONE 'UTC' + interval '10 minutes',
            'Dy, DD Mon YYYY HH24:MI:SS "GMT"'), now()) BETWEEN interval '9 minutes 59 seconds' AND interval '10 minutes',
  true, 'Retry-After as an IMF-fixdate HTTP-date');
SELECT is(integration_ops.retry_delay(1, '999999', now()), interval '6 hours',
  'Retry-After is capped at settings.retry_after_cap');
SELECT is(integration_ops.retry_delay(1, 'Sun, 31 Feb 2026 10:00:00 GMT', now()) <= interval '30 seconds', true,
  'an impossible date falls back to the backoff');
SELECT is(integration_ops.retry_delay(1, 'Sun, 06 Nov 1994 08:49:37 GMT', now()), interval '0',
  'a date in the past means now');
SELECT ok(integration_ops.retry_delay(20, NULL, now()) <= interval '30 minutes',
  'the backoff never exceeds retry_max_delay');

-- Final codes are not retried
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at, idempotency_key)
  VALUES ('d1000000-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000002', 'xledger',
          'running', 'manual', 'w-a', now(), 'd1000000-0000-0000-0000-000000000002');
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.fail_sync_run('d1000000-0000-0000-0000-000000000002', 'http_401', 'bad key',
           worker_id => 'w-a')).status, 'failed', '401 fails the run');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE retry_of = 'd1000000-0000-0000-0000-000000000002'),
  0, 'a final code (401) gets no next attempt');
SELECT is(integration_ops.is_retryable_error('invalid_response'), false, 'invalid_response is final');
SELECT is(integration_ops.is_retryable_error('timeout') AND integration_ops.is_retryable_error('http_504'), true,
  'timeout and 504 are transient');

-- Exhausted: attempt retry_max_attempts fails, no next attempt, an alert names the chain
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w-c', heartbeat_at = now(), not_before = NULL,
                                 started_at = now()
   WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt = 3;
  UPDATE public.sync_run_log SET attempt = 5
   WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt = 3;
  PERFORM set_config('t.attempt5', (SELECT id::text FROM public.sync_run_log
                                     WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt = 5), true);
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.fail_sync_run(current_setting('t.attempt5')::uuid,
             'timeout', 'no answer', worker_id => 'w-c')).status, 'failed', 'attempt 5 of 5 fails');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.sync_run_log
            WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt > 5),
  0, 'no attempt beyond settings.retry_max_attempts');
SELECT lives_ok($$SELECT integration_ops.refresh_alerts()$$, 'refresh_alerts runs');
SELECT is((SELECT count(*)::int FROM integration_ops.alerts
            WHERE kind = 'retries_exhausted' AND resolved_at IS NULL
              AND org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  1, 'an open retries_exhausted alert names the exhausted chain');

-- retry_sync_run ------------------------------------------------------------------------------
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT throws_ok($$SELECT public.retry_sync_run(current_setting('t.attempt5')::uuid)$$,
  'PT404', 'run_not_found', 'another org''s run is not found (nothing is revealed)');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.retry_sync_run('d1000000-0000-0000-0000-000000000001')$$,
  'PT404', 'run_not_found', 'a viewer cannot see runs, so cannot retry them');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT throws_ok($$SELECT public.retry_sync_run('d1000000-0000-0000-0000-000000000001')$$,
  'PT403', NULL, 'a global admin may read runs but not start them');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.retry_sync_run('d1000000-0000-0000-0000-000000000001')$$,
  'PT409', 'invalid_transition', 'only the last attempt of a period is retried');
SELECT throws_ok($$SELECT public.retry_sync_run(NULL)$$, 'PT400', 'invalid_argument', 'run_id is required');
SELECT ok(public.retry_sync_run(current_setting('t.attempt5')::uuid) IS NOT NULL,
  'a coordinator retries the exhausted period');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT status, attempt, triggered_by, not_before IS NULL
      FROM public.sync_run_log WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt = 6$$,
  $$VALUES ('pending'::text, 6, 'manual'::text, true)$$,
  'the next attempt of the same period: same key, attempt 6, manual, at once');
SELECT is((SELECT action || '/' || actor FROM integration_ops.sync_trigger_audit
            WHERE run_id = (SELECT id FROM public.sync_run_log
                             WHERE idempotency_key = 'aaaa:xledger:2026-01-01T10:00:00Z' AND attempt = 6)),
  'retry/user', 'audited like a manual trigger');
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.retry_sync_run(current_setting('t.attempt5')::uuid)$$,
  'PT409', NULL, 'the period now has a later attempt: refused');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT public.retry_sync_run('d1000000-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'anon cannot execute retry_sync_run');
SELECT tests.clear_authentication();
-- service_role retries the 401 (a final code: the operator fixed the key)
SELECT tests.authenticate_as_service_role();
SELECT ok(public.retry_sync_run('d1000000-0000-0000-0000-000000000002') IS NOT NULL,
  'service_role retries a failed run');
SELECT tests.clear_authentication();
SELECT is((SELECT actor FROM integration_ops.sync_trigger_audit
            WHERE run_id = (SELECT id FROM public.sync_run_log WHERE retry_of = 'd1000000-0000-0000-0000-000000000002')),
  'service_role', 'audited with the actor service_role');

-- One pair lock: a pending run of a pair that is not enabled is never handed out ------------
DO $$
BEGIN
  -- (a row left by an older version: the engine itself cancels pending runs on disable)
  ALTER TABLE public.organization_integrations DISABLE TRIGGER organization_integrations_pending_runs;
  UPDATE public.organization_integrations SET enabled = false
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
  ALTER TABLE public.organization_integrations ENABLE TRIGGER organization_integrations_pending_runs;
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is_empty($$SELECT * FROM integration_ops.claim_sync_runs('w-d', 10)
                   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'$$,
  'claims skip pending runs of a pair that is not enabled');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$SELECT public.insert_run_log('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'manual')$$,
  'PT404', 'integration_not_configured', 'insert_run_log checks enabled under the pair lock');
SELECT tests.clear_authentication();
SELECT ok(EXISTS (SELECT FROM pg_catalog.pg_proc WHERE oid = 'integration_ops.lock_pair(uuid, text)'::regprocedure),
  'integration_ops.lock_pair exists');
SELECT ok(pg_catalog.pg_get_functiondef('integration_ops.settle_pending_sync_runs()'::regprocedure) LIKE '%integration_ops.lock_pair(%'
          AND pg_catalog.pg_get_functiondef('integration_ops.start_manual_sync(uuid, text, boolean)'::regprocedure) LIKE '%integration_ops.lock_pair(%'
          AND pg_catalog.pg_get_functiondef('integration_ops.insert_run_log(uuid, text, text)'::regprocedure) LIKE '%integration_ops.lock_pair(%'
          AND pg_catalog.pg_get_functiondef('integration_ops.schedule_retry(uuid, text)'::regprocedure) LIKE '%integration_ops.lock_pair(%',
  'every path that creates, cancels or retries runs takes the pair lock');

-- A backend starts a sync: trigger_integration_sync as service_role -------------------------
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'cancelled', ended_at = now(), error_code = 'test'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND status = 'pending';
END
$$;
SELECT tests.authenticate_as_service_role();
SELECT ok(public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics') IS NOT NULL,
  'service_role starts a sync');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT r.triggered_by, r.triggered_by_user_id IS NULL, r.idempotency_key = r.id::text, a.actor, a.user_id IS NULL
      FROM public.sync_run_log AS r JOIN integration_ops.sync_trigger_audit AS a ON a.run_id = r.id
     WHERE r.org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND r.integration_type = 'dynamics' AND r.status = 'pending'$$,
  $$VALUES ('manual'::text, true, true, 'service_role'::text, true)$$,
  'triggered_by manual, no user, its own id as idempotency key, audited as service_role');
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics')$$,
  'PT409', 'sync_already_in_progress', 'the same in-progress check');
SELECT tests.clear_authentication();

-- Flow control: integration_types.max_concurrent_runs ----------------------------------------
-- A claim that turns enable_sort off makes its plan look expensive enough for JIT
-- (jit_above_cost): with Postgres' default jit = on every claim of a capped herd spent
-- 400-700 ms compiling (bench.herd_cap). Such functions run with jit off.
SELECT is(
  (SELECT pg_catalog.array_agg(p.oid::regprocedure::text ORDER BY 1)
     FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname IN ('public', 'integration_ops') AND p.prosrc LIKE '%enable_sort%'
      AND NOT coalesce('jit=off' = ANY (p.proconfig), false)),
  NULL,
  'every function that turns enable_sort off runs with jit = off');
DO $$
DECLARE
  i integer;
BEGIN
  UPDATE public.sync_run_log SET status = 'cancelled', ended_at = now(), error_code = 'test'
   WHERE status IN ('pending', 'running');
  UPDATE public.integration_types SET max_concurrent_runs = 2 WHERE integration_type = 'bufdir';
  FOR i IN 1..5 LOOP
    INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, health_mode)
    VALUES (('e0000000-0000-0000-0000-00000000000' || i)::uuid, 'bufdir', 'https://bufdir.example/x', 'disabled');
    INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at)
    VALUES (('e0000000-0000-0000-0000-00000000000' || i)::uuid, 'bufdir', 'pending', 'manual', now() - (10 - i) * interval '1 minute');
  END LOOP;
  INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, health_mode)
  VALUES ('e0000000-0000-0000-0000-000000000009', 'dynamics', 'https://dyn.example/x', 'disabled');
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at)
  VALUES ('e0000000-0000-0000-0000-000000000009', 'dynamics', 'pending', 'manual', now());
END
$$;
SELECT tests.authenticate_as_worker();
SELECT results_eq(
  $$SELECT integration_type, count(*)::int FROM integration_ops.claim_sync_runs('w-e', 10) GROUP BY 1 ORDER BY 1$$,
  $$VALUES ('bufdir'::text, 2), ('dynamics'::text, 1)$$,
  'a capped type gets at most its cap; another type is not slowed');
SELECT is_empty($$SELECT * FROM integration_ops.claim_sync_runs('w-f', 10)$$,
  'while the cap is full, no more runs of the type are handed out');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT org_id FROM public.sync_run_log WHERE integration_type = 'bufdir' AND status = 'running' ORDER BY created_at$$,
  $$VALUES ('e0000000-0000-0000-0000-000000000001'::uuid), ('e0000000-0000-0000-0000-000000000002'::uuid)$$,
  'oldest first within a type');
DO $$
BEGIN
  PERFORM set_config('t.capped', (SELECT id::text FROM public.sync_run_log
                                   WHERE integration_type = 'bufdir' AND status = 'running'
                                   ORDER BY created_at LIMIT 1), true);
END
$$;
SELECT tests.authenticate_as_worker();
SELECT lives_ok($$SELECT integration_ops.complete_sync_run(current_setting('t.capped')::uuid, 1, 0, worker_id => 'w-e')$$,
  'one capped run ends');
SELECT is((SELECT count(*)::int FROM integration_ops.claim_sync_runs('w-f', 10)), 1,
  'a slot freed: exactly one more run of the capped type');
SELECT tests.clear_authentication();

-- Catch-up bound: settings.max_catch_up_periods ----------------------------------------------
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'cancelled', ended_at = now(), error_code = 'test'
   WHERE status IN ('pending', 'running');
  UPDATE integration_ops.settings SET max_catch_up_periods = 2;
  INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, health_mode, sync_interval, sync_anchor)
  VALUES ('f0000000-0000-0000-0000-00000000000f', 'xledger', 'https://x.example/x', 'disabled', '1 hour', '2000-01-01 00:00+00');
  -- five periods behind: the oldest missed period began 4 hours before the current one
  UPDATE public.organization_integrations
     SET next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '4 hours'
   WHERE org_id = 'f0000000-0000-0000-0000-00000000000f';
END
$$;
SELECT is((integration_ops.dispatch_sync_batch() ->> 'skipped_periods')::int, 3,
  'five periods behind with max_catch_up_periods 2: the three oldest are skipped');
SELECT results_eq(
  $$SELECT status, error_code FROM public.sync_run_log
     WHERE org_id = 'f0000000-0000-0000-0000-00000000000f' ORDER BY scheduled_for$$,
  $$VALUES ('skipped'::text, 'catch_up_limit'::text), ('skipped', 'catch_up_limit'), ('skipped', 'catch_up_limit'),
           ('pending', NULL)$$,
  'skipped rows for the old periods, then the newest-but-one period runs (oldest of the last two first)');
SELECT is((SELECT scheduled_for FROM public.sync_run_log
            WHERE org_id = 'f0000000-0000-0000-0000-00000000000f' AND status = 'pending'),
  date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '1 hour', 'the run is for the older of the two newest periods');
SELECT ok((SELECT ended_at IS NOT NULL AND attempt = 1 FROM public.sync_run_log
            WHERE org_id = 'f0000000-0000-0000-0000-00000000000f' AND status = 'skipped'
            ORDER BY scheduled_for LIMIT 1), 'a skipped row has ended');
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$SELECT public.retry_sync_run((SELECT id FROM public.sync_run_log
                    WHERE org_id = 'f0000000-0000-0000-0000-00000000000f' AND status = 'skipped'
                    ORDER BY scheduled_for LIMIT 1))$$,
  'PT409', 'sync_already_in_progress', 'a skipped period is re-runnable once the pair is idle');
SELECT tests.clear_authentication();

-- Lag: get_engine_status().lagging and the lagging alert ------------------------------------
DO $$
BEGIN
  UPDATE integration_ops.settings SET max_catch_up_periods = NULL;
  INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, health_mode, sync_interval)
  VALUES ('f0000000-0000-0000-0000-0000000000f1', 'dynamics', 'https://d.example/x', 'disabled', '5 minutes');
  UPDATE public.organization_integrations SET next_sync_at = now() - interval '3 hours'
   WHERE org_id = 'f0000000-0000-0000-0000-0000000000f1';
END
$$;
SELECT tests.authenticate_as_service_role();
SELECT is((SELECT (e ->> 'lag_seconds')::int FROM jsonb_array_elements(public.get_engine_status() -> 'lagging') AS e
            WHERE e ->> 'org_id' = 'f0000000-0000-0000-0000-0000000000f1'),
  10800, 'get_engine_status().lagging reports the pair''s lag');
SELECT tests.clear_authentication();
SELECT lives_ok($$SELECT integration_ops.refresh_alerts()$$, 'refresh_alerts runs');
SELECT is((SELECT count(*)::int FROM integration_ops.alerts WHERE kind = 'lagging' AND resolved_at IS NULL
            AND org_id = 'f0000000-0000-0000-0000-0000000000f1'), 1, 'a lagging alert opens above settings.lag_alert');
DO $$
BEGIN
  UPDATE public.organization_integrations SET next_sync_at = now() + interval '5 minutes'
   WHERE org_id = 'f0000000-0000-0000-0000-0000000000f1';
  PERFORM integration_ops.refresh_alerts();
END
$$;
SELECT is((SELECT count(*)::int FROM integration_ops.alerts WHERE kind = 'lagging' AND resolved_at IS NULL
            AND org_id = 'f0000000-0000-0000-0000-0000000000f1'), 0, 'caught up: the alert resolves');

-- Limits --------------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE integration_ops.settings SET dispatch_batch_size = 5000$$, '23514', NULL,
  'dispatch_batch_size above 1000 is refused');
SELECT lives_ok($$UPDATE integration_ops.settings SET dispatch_batch_size = 1000$$, 'dispatch_batch_size 1000 is allowed');
SELECT ok(pg_catalog.pg_get_functiondef('integration_ops.reconcile_pg_net_responses()'::regprocedure) LIKE '%c_max CONSTANT integer := 50%'
          AND pg_catalog.pg_get_functiondef('integration_ops.send_pg_net_runs(uuid[])'::regprocedure) LIKE '%c_max CONSTANT integer := 50%',
  'the loops with a sub-transaction per row take at most 50 rows per transaction');
SELECT ok(pg_catalog.pg_get_functiondef('integration_ops.send_pg_net_warmups(interval)'::regprocedure) NOT LIKE '%EXCEPTION%',
  'the warm-up loop opens no sub-transaction per row');
SELECT ok(pg_catalog.pg_get_functiondef('integration_ops.sync_warmup_job_activity()'::regprocedure) LIKE '%pg_advisory_xact_lock_shared%'
          AND pg_catalog.pg_get_functiondef('integration_ops.sync_warmup_job_activity()'::regprocedure) NOT LIKE '%pg_advisory_xact_lock(%',
  'the warm-up job switch takes no exclusive global lock');

-- worker_id is validated where it is stored --------------------------------------------------
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs('host-1 password=hunter2', 1)$$,
  'PT400', 'invalid_argument', 'a worker_id with spaces or = is refused');
SELECT tests.clear_authentication();

SELECT * FROM finish();
ROLLBACK;
