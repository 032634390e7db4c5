-- Health store tables: integration_health_status / integration_health_history, the
-- history trigger (result writes vs bookkeeping), the cap and its tie-break, the
-- sanitiser trigger, and RLS / privileges per role.
BEGIN;
SELECT plan(55);

-- pgTAP lives in `extensions`; let the worker role reach it for this transaction only
-- (rolled back), so its refusals can be asserted while it is the current role.
DO $$
BEGIN
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
END
$$;

DO $$
BEGIN
  PERFORM tests.seed_two_orgs();
  -- Since 0.2 configuring a checkable pair gives it a bookkeeping status row (status
  -- NULL, scheduled now; see test_health_schedule.sql). This file exercises direct writes
  -- of the status table itself, so it starts from an empty one for these orgs.
  DELETE FROM public.integration_health_status
   WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002');
END
$$;

-- Structure -------------------------------------------------------------------------
SELECT has_table('public', 'integration_health_status', 'status table exists');
SELECT has_table('public', 'integration_health_history', 'history table exists');
-- Since 0.2 the index also INCLUDEs status and latency_ms (get_health_trend reads it
-- index-only); pgTAP lists included columns after the key.
SELECT has_index('public', 'integration_health_history', 'integration_health_history_pair_idx',
  ARRAY['org_id', 'integration_type', 'checked_at', 'id', 'status', 'latency_ms'],
  'history index (org_id, integration_type, checked_at DESC, id DESC) INCLUDE (status, latency_ms)');
SELECT fk_ok('public', 'integration_health_status', 'integration_type', 'public', 'integration_types', 'integration_type');
CREATE TEMP TABLE trend_plan (line text) ON COMMIT DROP;
DO $$
DECLARE
  v_line text;
BEGIN
  SET LOCAL enable_seqscan = off;  -- the table is tiny here; ask whether the index covers
  SET LOCAL enable_bitmapscan = off;
  FOR v_line IN EXPLAIN (COSTS OFF)
    SELECT h.status, h.latency_ms, h.checked_at FROM public.integration_health_history AS h
     WHERE h.org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND h.integration_type = 'xledger'
       AND h.checked_at >= now() - interval '24 hours'
     ORDER BY h.checked_at DESC, h.id DESC LIMIT 96
  LOOP
    INSERT INTO trend_plan VALUES (v_line);
  END LOOP;
END
$$;
SELECT ok(EXISTS (SELECT FROM trend_plan WHERE line LIKE '%Index Only Scan using integration_health_history_pair_idx%'),
  'the trend query (get_health_trend''s) can be an index-only scan: the index covers its columns');

-- Trigger: result INSERT writes history ---------------------------------------------
DO $$
BEGIN
  INSERT INTO public.integration_health_status (org_id, integration_type, status, latency_ms, checked_at)
  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'healthy', 120, now() - interval '1 minute');
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  1, 'a direct INSERT of a result writes one history row');
SELECT results_eq(
  $$SELECT status, latency_ms, checked_at FROM public.integration_health_history
     WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'$$,
  $$VALUES ('healthy'::text, 120, now() - interval '1 minute')$$,
  'the history row copies status, latency_ms and checked_at');

SELECT throws_ok(
  $$INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
    VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'degraded', now())$$,
  '23505', NULL, 'UNIQUE (org_id, integration_type) refuses a second current-status row');
SELECT throws_ok(
  $$INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
    VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'sleepy', now())$$,
  '23514', NULL, 'status CHECK refuses an unknown status');
SELECT throws_ok(
  $$INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
    VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'nope', 'healthy', now())$$,
  '23503', NULL, 'integration_type must be in integration_types');

-- Trigger: UPDATE not made through the RPC -------------------------------------------
DO $$
BEGIN
  UPDATE public.integration_health_status SET status = status
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  2, 'a direct UPDATE setting status to the same value writes history');
DO $$
BEGIN
  UPDATE public.integration_health_status SET latency_ms = 300
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  3, 'a direct UPDATE of latency_ms only writes history');
SELECT is((SELECT latency_ms FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'
            ORDER BY id DESC LIMIT 1),
  300, 'the newest history row carries the updated latency');
DO $$
BEGIN
  UPDATE public.integration_health_status
     SET next_check_at = now() + interval '1 hour', consecutive_failures = consecutive_failures + 1
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  3, 'a bookkeeping-only UPDATE (next_check_at, consecutive_failures) writes no history');

-- Bookkeeping INSERT (never-checked pair, as claim_health_checks writes it)
DO $$
BEGIN
  INSERT INTO public.integration_health_status (org_id, integration_type, next_check_at)
  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', now() + interval '15 minutes');
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'bufdir'),
  0, 'a bookkeeping INSERT without status writes no history');
SELECT throws_ok(
  $$UPDATE public.integration_health_status SET status = 'healthy'
     WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'bufdir'$$,
  '23514', NULL, 'a result needs both status and checked_at');

-- Sanitiser on any write
DO $$
BEGIN
  UPDATE public.integration_health_status
     SET error_message = E'login failed password=hunter2\nTraceback (most recent call last):\n  File "x.py", line 1, in <module>\n    boom()'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT error_message FROM public.integration_health_status
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  'login failed password=[redacted]', 'a direct write of error_message is sanitised');
SELECT is((SELECT error_message FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'
            ORDER BY id DESC LIMIT 1),
  'login failed password=[redacted]', 'history receives the sanitised message');

-- Cap: 100 results leave 96, the newest by (checked_at, id) ----------------------------
DO $$
BEGIN
  FOR i IN 1..100 LOOP
    PERFORM integration_ops.record_health_check('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics',
      CASE WHEN i % 10 = 0 THEN 'unreachable' ELSE 'healthy' END, i, NULL);
  END LOOP;
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'dynamics'),
  96, '100 results for one pair leave exactly 96 history rows');
SELECT is((SELECT min(latency_ms) FROM public.integration_health_history
            WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'dynamics'),
  5, 'equal checked_at: ties broken by id, the 4 oldest writes are pruned');
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  4, 'pruning one pair leaves other pairs alone');

-- Older checked_at loses even with a newer id
DO $$
DECLARE
  v_oldest_id bigint;
BEGIN
  UPDATE integration_ops.settings SET history_cap = 3;
  UPDATE public.integration_health_status SET checked_at = now() + interval '1 hour'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
  UPDATE public.integration_health_status SET checked_at = now() - interval '2 hours'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  3, 'a lowered history_cap is applied on the next result write');
SELECT ok((SELECT bool_and(checked_at >= now() - interval '1 minute') FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'),
  'the cap keeps the newest by checked_at: a row written last with an older checked_at is pruned');
DO $$
BEGIN
  UPDATE integration_ops.settings SET history_cap = 96;
END
$$;

-- RLS and privileges -------------------------------------------------------------------
-- Data now: status A 2 rows (xledger result, bufdir bookkeeping), B 1 row;
-- history A 3 rows, B 96 rows.
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 2, 'org admin reads own org''s status rows');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 3, 'org admin reads own org''s history');
SELECT throws_ok($$INSERT INTO public.integration_health_status (org_id, integration_type) VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics')$$,
  '42501', NULL, 'org admin cannot insert status');
SELECT throws_ok($$UPDATE public.integration_health_status SET status = 'healthy'$$,
  '42501', NULL, 'org admin cannot update status');
SELECT throws_ok($$DELETE FROM public.integration_health_status$$,
  '42501', NULL, 'org admin cannot delete status');
SELECT throws_ok($$INSERT INTO public.integration_health_history (org_id, integration_type, status, checked_at) VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'healthy', now())$$,
  '42501', NULL, 'org admin cannot insert history');
SELECT throws_ok($$DELETE FROM public.integration_health_history$$,
  '42501', NULL, 'org admin cannot delete history');

SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 0, 'coordinator reads no status');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 0, 'coordinator reads no history');

SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 0, 'viewer reads no status');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 0, 'viewer reads no history');

SELECT tests.authenticate_as('bob_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 0,
  'another org''s admin claiming this org reads no status (membership checked)');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 0,
  'another org''s admin claiming this org reads no history');
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT is((SELECT count(*)::int FROM public.integration_health_status
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001'), 0, 'an admin of org B reads nothing of org A');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 96, 'an admin of org B reads B''s history only');

SELECT tests.authenticate_as('alice_admin');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 0, 'an admin whose JWT has no org_id reads nothing');

SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 3, 'global admin reads every status row');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 99, 'global admin reads all history');
SELECT throws_ok($$UPDATE public.integration_health_status SET status = 'healthy'$$,
  '42501', NULL, 'global admin cannot write status');

SELECT tests.authenticate_with_claims('{"role":"authenticated","org_id":"aaaaaaaa-0000-0000-0000-000000000001","user_role":"global_admin"}');
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 0,
  'global_admin claim without sub reads nothing');

SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT count(*) FROM public.integration_health_status$$, '42501', NULL, 'anon cannot read status');
SELECT throws_ok($$SELECT count(*) FROM public.integration_health_history$$, '42501', NULL, 'anon cannot read history');

SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT count(*) FROM public.integration_health_status$$, '42501', NULL,
  'integration_worker cannot read status directly');
SELECT throws_ok($$SELECT count(*) FROM public.integration_health_history$$, '42501', NULL,
  'integration_worker cannot read history directly');

SELECT tests.authenticate_as_service_role();
SELECT is((SELECT count(*)::int FROM public.integration_health_status), 3, 'service_role reads every status row');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 99, 'service_role reads all history');
SELECT lives_ok($$UPDATE public.integration_health_status SET latency_ms = 1
                   WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002'$$, 'service_role writes status');
SELECT is((SELECT count(*)::int FROM public.integration_health_history), 96 + 3,
  'a service_role result write is copied and capped like any other');
SELECT throws_ok($$INSERT INTO public.integration_health_history (org_id, integration_type, status, checked_at) VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'healthy', now())$$,
  '42501', NULL, 'service_role cannot forge history rows');
SELECT throws_ok($$UPDATE public.integration_health_history SET status = 'healthy'$$,
  '42501', NULL, 'service_role cannot rewrite history');
SELECT tests.clear_authentication();

-- History policies mirror status policies exactly
SELECT results_eq(
  $$SELECT cmd, roles::text[], qual FROM pg_policies WHERE tablename = 'integration_health_history'$$,
  $$SELECT cmd, roles::text[], qual FROM pg_policies WHERE tablename = 'integration_health_status'$$,
  'history has exactly the status table''s read policy');
SELECT is((SELECT count(*)::int FROM pg_policies WHERE tablename IN ('integration_health_status', 'integration_health_history')),
  2, 'one (read) policy per table, no write policy');

SELECT * FROM finish();
ROLLBACK;
