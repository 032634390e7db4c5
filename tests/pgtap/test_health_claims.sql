-- Worker health RPCs: claim_health_checks (due pairs, lease, bookkeeping rows),
-- record_health_check (validation, failure count, backoff), record_sync_outcome_health
-- (passive mode), and who may call them.
BEGIN;
SELECT plan(48);

DO $$
BEGIN
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP for the worker role; rolled back
  PERFORM tests.add_member('cccccccc-0000-0000-0000-000000000003', 'sam_signed_in', 'admin');
  -- C: xledger active, dynamics passive, bufdir active but not enabled.
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-000000000003', 'xledger');
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-000000000003', 'dynamics');
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-000000000003', 'bufdir', enabled => false);
  UPDATE public.organization_integrations SET health_mode = 'passive'
   WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics';
  -- D: xledger active with probe config and secret_ref, dynamics hourly, bufdir disabled.
  PERFORM tests.add_integration('dddddddd-0000-0000-0000-000000000004', 'xledger');
  PERFORM tests.add_integration('dddddddd-0000-0000-0000-000000000004', 'dynamics');
  PERFORM tests.add_integration('dddddddd-0000-0000-0000-000000000004', 'bufdir');
  UPDATE public.organization_integrations
     SET health_config = '{"url": "https://d.example/ping", "degraded_latency_ms": 500}', secret_ref = 'D_XLEDGER'
   WHERE org_id = 'dddddddd-0000-0000-0000-000000000004' AND integration_type = 'xledger';
  UPDATE public.organization_integrations SET health_check_interval = '1 hour'
   WHERE org_id = 'dddddddd-0000-0000-0000-000000000004' AND integration_type = 'dynamics';
  UPDATE public.organization_integrations SET health_mode = 'disabled'
   WHERE org_id = 'dddddddd-0000-0000-0000-000000000004' AND integration_type = 'bufdir';
END
$$;

CREATE TEMP TABLE claimed (worker text, org_id uuid, integration_type text, health_config jsonb, secret_ref text)
  ON COMMIT DROP;
GRANT ALL ON claimed TO integration_worker;
CREATE TEMP VIEW cd_claimed AS
  SELECT worker, CASE org_id WHEN 'cccccccc-0000-0000-0000-000000000003' THEN 'C' ELSE 'D' END || '/' || integration_type AS pair,
         health_config, secret_ref
    FROM claimed
   WHERE org_id IN ('cccccccc-0000-0000-0000-000000000003', 'dddddddd-0000-0000-0000-000000000004');

-- claim_health_checks ----------------------------------------------------------------------
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  INSERT INTO claimed SELECT 'w1', c.* FROM integration_ops.claim_health_checks(worker_id => 'w1', max_checks => 1000) AS c;
END
$$;
SELECT tests.clear_authentication();
SELECT set_eq($$SELECT pair FROM cd_claimed WHERE worker = 'w1'$$,
  ARRAY['C/xledger', 'D/xledger', 'D/dynamics'],
  'never-checked enabled active pairs are claimed; passive, disabled-mode and not-enabled pairs are not');
SELECT results_eq($$SELECT health_config, secret_ref FROM cd_claimed WHERE pair = 'D/xledger'$$,
  $$VALUES ('{"url": "https://d.example/ping", "degraded_latency_ms": 500}'::jsonb, 'D_XLEDGER'::text)$$,
  'a claim returns the pair''s health_config and secret_ref');
SELECT results_eq(
  $$SELECT integration_type, status, checked_at, next_check_at - now(), claimed_by
      FROM public.integration_health_status WHERE org_id = 'dddddddd-0000-0000-0000-000000000004' ORDER BY 1$$,
  $$VALUES ('dynamics'::text, NULL::text, NULL::timestamptz, interval '1 hour', 'w1'::text),
           ('xledger', NULL, NULL, interval '15 minutes', 'w1')$$,
  'a never-checked pair gets a bookkeeping row: status NULL, next_check_at leased one interval ahead');
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id IN ('cccccccc-0000-0000-0000-000000000003', 'dddddddd-0000-0000-0000-000000000004')),
  0, 'claim bookkeeping writes no history');

SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  INSERT INTO claimed SELECT 'w2', c.* FROM integration_ops.claim_health_checks('w2', 1000) AS c;
END
$$;
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM cd_claimed WHERE worker = 'w2'), 0,
  'a second worker does not get the pairs already claimed (not due until the lease ends)');

DO $$
BEGIN
  UPDATE public.integration_health_status SET next_check_at = now() - interval '1 minute'
   WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'xledger';
  UPDATE public.integration_health_status SET next_check_at = now() - interval '2 hours'
   WHERE org_id = 'dddddddd-0000-0000-0000-000000000004' AND integration_type = 'xledger';
END
$$;
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  INSERT INTO claimed SELECT 'w3', c.* FROM integration_ops.claim_health_checks('w3', 1) AS c;
  INSERT INTO claimed SELECT 'w4', c.* FROM integration_ops.claim_health_checks('w4', 1000) AS c;
END
$$;
SELECT tests.clear_authentication();
SELECT results_eq($$SELECT pair FROM cd_claimed WHERE worker = 'w3'$$, $$VALUES ('D/xledger')$$,
  'max_checks => 1 claims one pair, the longest overdue first');
SELECT results_eq($$SELECT pair FROM cd_claimed WHERE worker = 'w4'$$, $$VALUES ('C/xledger')$$,
  'a due pair (next_check_at <= now()) is claimed again');
SELECT results_eq(
  $$SELECT next_check_at - now(), claimed_by FROM public.integration_health_status
     WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'xledger'$$,
  $$VALUES (interval '15 minutes', 'w4'::text)$$,
  'the claim pushed next_check_at forward by the interval');

-- A pair switched from passive to active (status row, next_check_at NULL) is claimable.
DO $$
BEGIN
  PERFORM integration_ops.record_sync_outcome_health('cccccccc-0000-0000-0000-000000000003', 'dynamics', true, NULL);
  UPDATE public.organization_integrations SET health_mode = 'active'
   WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics';
END
$$;
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  INSERT INTO claimed SELECT 'w5', c.* FROM integration_ops.claim_health_checks('w5', 1000) AS c;
END
$$;
SELECT tests.clear_authentication();
SELECT results_eq($$SELECT pair FROM cd_claimed WHERE worker = 'w5'$$, $$VALUES ('C/dynamics')$$,
  'a pair switched to active is claimed (its status row had no scheduled check)');
SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics'),
  'healthy', 'claiming keeps the existing result');
DO $$
BEGIN
  UPDATE public.organization_integrations SET health_mode = 'passive'
   WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics';
END
$$;

SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM integration_ops.claim_health_checks(NULL, 10)$$, 'PT400', 'invalid_argument',
  'worker_id NULL -> invalid_argument');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_health_checks(' ', 10)$$, 'PT400', 'invalid_argument',
  'blank worker_id -> invalid_argument');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_health_checks('w', 0)$$, 'PT400', 'invalid_argument',
  'max_checks 0 -> invalid_argument');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_health_checks('w', NULL)$$, 'PT400', 'invalid_argument',
  'max_checks NULL -> invalid_argument');

-- record_health_check: failure count and backoff (interval 15 min, cap 4 h) ---------------
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now(), r.latency_ms)::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'healthy', 80, NULL) r),
  '(0,00:15:00,80)', 'healthy: 0 failures, next check one interval ahead');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now(), r.latency_ms)::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'unreachable', 10000, 'timeout') r),
  '(1,00:30:00,10000)', '1st failure: interval * 2; latency kept for unreachable too');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now())::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'unreachable', 10000, 'timeout') r),
  '(2,01:00:00)', '2nd failure: interval * 4');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now())::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'degraded', 2500, 'HTTP 429') r),
  '(3,02:00:00)', 'degraded counts as a failure: interval * 8');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now())::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'unreachable', 10000, NULL) r),
  '(4,04:00:00)', '4th failure: 4 h');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now())::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'unreachable', 10000, NULL) r),
  '(5,04:00:00)', '5th failure: capped at settings.health_backoff_cap (4 h)');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now(), r.error_message IS NULL)::text
             FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'healthy', 90, NULL) r),
  '(0,00:15:00,t)', 'a healthy result resets the failures, the interval and the error message');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now())::text
             FROM integration_ops.record_health_check('dddddddd-0000-0000-0000-000000000004', 'dynamics', 'degraded', 300, NULL) r),
  '(1,02:00:00)', 'the backoff starts from the pair''s own interval (1 h -> 2 h)');
SELECT is((SELECT (r.consecutive_failures, r.next_check_at - now())::text
             FROM integration_ops.record_health_check('dddddddd-0000-0000-0000-000000000004', 'dynamics', 'degraded', 300, NULL) r),
  '(2,04:00:00)', '1 h interval, 2 failures: capped at 4 h');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'xledger'),
  7, 'every recorded result is in the history');
SELECT tests.authenticate_as_worker();
SELECT is((SELECT error_message FROM integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger',
             'degraded', 100, 'HTTP 401 for https://bob:s3cret@api.example/ Authorization: Bearer abc.def')),
  'HTTP 401 for https://[redacted]@api.example/ Authorization: Bearer [redacted]', 'the error message is sanitised');
SELECT tests.clear_authentication();

DO $$
BEGIN
  UPDATE public.organization_integrations SET health_check_interval = '6 hours'
   WHERE org_id = 'dddddddd-0000-0000-0000-000000000004' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT r.next_check_at - now() FROM integration_ops.record_health_check(
             'dddddddd-0000-0000-0000-000000000004', 'xledger', 'unreachable', NULL, NULL) r),
  interval '6 hours', 'an interval longer than the cap is never shortened by it');
DO $$
BEGIN
  UPDATE integration_ops.settings SET health_backoff_cap = '1 hour';
END
$$;
SELECT is((SELECT r.next_check_at - now() FROM integration_ops.record_health_check(
             'cccccccc-0000-0000-0000-000000000003', 'xledger', 'unreachable', NULL, NULL) r),
  interval '1 hour', 'the cap is read from settings.health_backoff_cap');
SELECT is((SELECT (r.status, r.next_check_at IS NULL)::text FROM integration_ops.record_health_check(
             'eeeeeeee-0000-0000-0000-000000000005', 'bufdir', 'healthy', 5, NULL) r),
  '(healthy,t)', 'a result for an unconfigured pair is stored, never scheduled');

SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'sleepy', 1, NULL)$$,
  'PT400', 'invalid_argument', 'unknown status -> invalid_argument');
SELECT throws_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', NULL, 1, NULL)$$,
  'PT400', 'invalid_argument', 'NULL status -> invalid_argument');
SELECT throws_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'healthy', -1, NULL)$$,
  'PT400', 'invalid_argument', 'negative latency -> invalid_argument');
SELECT throws_ok($$SELECT integration_ops.record_health_check(NULL, 'xledger', 'healthy', 1, NULL)$$,
  'PT400', 'invalid_argument', 'NULL org_id -> invalid_argument');
SELECT throws_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'nope', 'healthy', 1, NULL)$$,
  'PT400', 'unknown_integration_type', 'unknown type -> unknown_integration_type');
SELECT throws_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'nope', 'sleepy', 1, NULL)$$,
  'PT400', 'invalid_argument', 'invalid_argument is checked before unknown_integration_type');

-- Passive mode ----------------------------------------------------------------------------
SELECT lives_ok($$SELECT integration_ops.record_sync_outcome_health('cccccccc-0000-0000-0000-000000000003', 'dynamics', false,
                   'sync failed: password=hunter2')$$, 'the worker role may call record_sync_outcome_health');
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT status, latency_ms, error_message, consecutive_failures, next_check_at FROM public.integration_health_status
     WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics'$$,
  $$VALUES ('degraded'::text, NULL::integer, 'sync failed: password=[redacted]'::text, 1, NULL::timestamptz)$$,
  'passive pair: a failed sync records degraded (sanitised message, no latency, never scheduled)');
DO $$
BEGIN
  PERFORM integration_ops.record_sync_outcome_health('cccccccc-0000-0000-0000-000000000003', 'dynamics', true, 'ignored');
END
$$;
SELECT results_eq(
  $$SELECT status, error_message, consecutive_failures FROM public.integration_health_status
     WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics'$$,
  $$VALUES ('healthy'::text, NULL::text, 0)$$,
  'passive pair: a completed sync records healthy');
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'dynamics'),
  3, 'passive results are in the history too');
DO $$
BEGIN
  PERFORM integration_ops.record_sync_outcome_health('cccccccc-0000-0000-0000-000000000003', 'xledger', false, 'boom');
  PERFORM integration_ops.record_sync_outcome_health('dddddddd-0000-0000-0000-000000000004', 'bufdir', false, 'boom');
  PERFORM integration_ops.record_sync_outcome_health('ffffffff-0000-0000-0000-000000000006', 'bufdir', false, 'boom');
END
$$;
SELECT isnt((SELECT error_message FROM public.integration_health_status
              WHERE org_id = 'cccccccc-0000-0000-0000-000000000003' AND integration_type = 'xledger'),
  'boom', 'active pair: sync outcomes do not touch its health');
SELECT is((SELECT count(*)::int FROM public.integration_health_status
            WHERE (org_id = 'dddddddd-0000-0000-0000-000000000004' AND integration_type = 'bufdir')
               OR org_id = 'ffffffff-0000-0000-0000-000000000006'),
  0, 'disabled-mode and unconfigured pairs: no status');
SELECT throws_ok($$SELECT integration_ops.record_sync_outcome_health('cccccccc-0000-0000-0000-000000000003', 'dynamics', NULL, NULL)$$,
  'PT400', 'invalid_argument', 'succeeded NULL -> invalid_argument');

-- Who may call the worker RPCs --------------------------------------------------------------
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$SELECT * FROM integration_ops.claim_health_checks('svc', 1)$$, 'service_role may claim');
SELECT lives_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'healthy', 1, NULL)$$,
  'service_role may record');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT * FROM integration_ops.claim_health_checks('x', 1)$$, '42501', NULL, 'anon may not claim');
SELECT tests.clear_authentication();
SELECT ok(NOT has_function_privilege('authenticated', 'integration_ops.claim_health_checks(text, integer)', 'execute')
      AND NOT has_function_privilege('authenticated', 'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')
      AND NOT has_function_privilege('authenticated', 'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute'),
  'authenticated executes no worker health RPC');
SELECT ok(NOT has_function_privilege('anon', 'integration_ops.record_health_check(uuid, text, text, integer, text)', 'execute')
      AND NOT has_function_privilege('anon', 'integration_ops.record_sync_outcome_health(uuid, text, boolean, text)', 'execute'),
  'anon executes no worker health RPC');
SELECT tests.authenticate_as('sam_signed_in', 'cccccccc-0000-0000-0000-000000000003');
SELECT throws_ok($$SELECT integration_ops.record_health_check('cccccccc-0000-0000-0000-000000000003', 'xledger', 'healthy', 1, NULL)$$,
  '42501', NULL, 'a signed-in user may not record results');
SELECT tests.clear_authentication();
SELECT set_eq(
  $$SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'integration_ops' AND has_function_privilege('integration_worker', p.oid, 'execute')
       AND p.proname LIKE '%health%'$$,
  ARRAY['claim_health_checks', 'record_health_check', 'record_sync_outcome_health'],
  'integration_worker executes exactly the worker health RPCs (not cleanup, backoff or trigger helpers)');

SELECT * FROM finish();
ROLLBACK;
