-- Public health RPCs: get_org_health_status, get_global_health_summary, get_health_trend,
-- with the full role matrix and the DESIGN §6 check order.
BEGIN;
SELECT plan(52);

DO $$
BEGIN
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP for the worker role; rolled back
END
$$;

-- Summary baseline before this file's data (robust to rows other tests committed).
CREATE TEMP TABLE summary_expected ON COMMIT DROP AS
SELECT t.integration_type, t.display_name,
       count(hs.status) FILTER (WHERE hs.status = 'healthy') AS healthy,
       count(hs.status) FILTER (WHERE hs.status = 'degraded') AS degraded,
       count(hs.status) FILTER (WHERE hs.status = 'unreachable') AS unreachable,
       count(hs.status) AS total
  FROM public.integration_types t
  LEFT JOIN public.integration_health_status hs ON hs.integration_type = t.integration_type
 GROUP BY t.integration_type, t.display_name;
GRANT SELECT ON summary_expected TO authenticated, service_role;

DO $$
BEGIN
  PERFORM tests.seed_two_orgs();
  PERFORM integration_ops.record_health_check('aaaaaaaa-0000-0000-0000-000000000001', 'xledger',
    'degraded', 250, 'timeout calling https://x.example/api?token=abc');
  PERFORM integration_ops.record_health_check('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics',
    'unreachable', 10000, 'connect timeout');
END
$$;

-- get_org_health_status -----------------------------------------------------------------
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT results_eq(
  $$SELECT integration_type, display_name, status, latency_ms, checked_at, error_message
      FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  $$VALUES ('bufdir'::text, 'Bufdir'::text, NULL::text, NULL::integer, NULL::timestamptz, NULL::text),
           ('xledger', 'Xledger', 'degraded', 250, now(), 'timeout calling https://x.example/api?token=[redacted]')$$,
  'org admin: 2 configured integrations, one never checked -> 2 rows, display names, NULL status');

-- A claim writes a bookkeeping row for bufdir: still shown as never checked.
SELECT tests.clear_authentication();
DO $$
BEGIN
  PERFORM integration_ops.claim_health_checks('w-test', 1000);
END
$$;
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT results_eq(
  $$SELECT integration_type, status, checked_at FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  $$VALUES ('bufdir'::text, NULL::text, NULL::timestamptz), ('xledger', 'degraded', now())$$,
  'a claimed, never-checked pair still shows NULL status');

-- A status row for a pair the org has not configured is listed too.
SELECT tests.clear_authentication();
DO $$
BEGIN
  PERFORM integration_ops.record_health_check('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics', 'healthy', 40, NULL);
END
$$;
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT results_eq(
  $$SELECT integration_type, status FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  $$VALUES ('bufdir'::text, NULL::text), ('dynamics', 'healthy'), ('xledger', 'degraded')$$,
  'plus any pair with a status row');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => NULL)$$,
  'PT400', 'invalid_argument', 'NULL org_id -> invalid_argument');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'bbbbbbbb-0000-0000-0000-000000000002')$$,
  'PT403', 'org_scope_violation', 'org admin asking for another org -> org_scope_violation');

SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'permission_denied', 'coordinator -> permission_denied');
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'permission_denied', 'viewer -> permission_denied');
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'org_scope_violation', 'another org''s admin -> org_scope_violation');
SELECT is((SELECT count(*)::int FROM public.get_org_health_status(org_id => 'bbbbbbbb-0000-0000-0000-000000000002')),
  1, 'an admin of org B reads org B');
SELECT tests.authenticate_as('bob_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'permission_denied', 'another org''s admin claiming this org in the JWT -> permission_denied (membership)');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT is((SELECT count(*)::int FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')),
  3, 'global admin reads any org');
SELECT tests.authenticate_as_service_role();
SELECT is((SELECT count(*)::int FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')),
  3, 'service_role reads any org');
SELECT tests.authenticate_with_claims('{"role":"authenticated","org_id":"aaaaaaaa-0000-0000-0000-000000000001"}');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'no sub -> not_authenticated');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => NULL)$$,
  'PT401', 'not_authenticated', 'not_authenticated is checked before invalid_argument');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'anon cannot execute get_org_health_status');
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM public.get_org_health_status(org_id => 'aaaaaaaa-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'integration_worker cannot execute get_org_health_status');
SELECT tests.clear_authentication();

-- get_global_health_summary -------------------------------------------------------------
-- This file added: xledger degraded 1; dynamics healthy 1 + unreachable 1; bufdir only a
-- bookkeeping row (not counted).
DO $$
BEGIN
  UPDATE summary_expected SET degraded = degraded + 1, total = total + 1 WHERE integration_type = 'xledger';
  UPDATE summary_expected SET healthy = healthy + 1, unreachable = unreachable + 1, total = total + 2
   WHERE integration_type = 'dynamics';
END
$$;
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT results_eq(
  $$SELECT integration_type, display_name, healthy, degraded, unreachable, total FROM public.get_global_health_summary()$$,
  $$SELECT integration_type, display_name, healthy, degraded, unreachable, total FROM summary_expected ORDER BY integration_type$$,
  'global admin: counts per type across all orgs (never-checked pairs not counted)');
SELECT tests.authenticate_as_service_role();
SELECT results_eq(
  $$SELECT integration_type, healthy, degraded, unreachable, total FROM public.get_global_health_summary()$$,
  $$SELECT integration_type, healthy, degraded, unreachable, total FROM summary_expected ORDER BY integration_type$$,
  'service_role: the same summary');
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, 'PT403', 'permission_denied',
  'org admin -> PT403 permission_denied');
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, 'PT403', 'permission_denied',
  'coordinator -> PT403 permission_denied');
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001', 'org_admin');
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, 'PT403', 'permission_denied',
  'viewer with another user_role -> PT403 permission_denied');
SELECT tests.authenticate_with_claims('{"role":"authenticated","user_role":"global_admin"}');
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, 'PT401', 'not_authenticated',
  'global_admin claim without sub -> not_authenticated first');
SELECT tests.authenticate_with_claims('{}');
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, 'PT401', 'not_authenticated',
  'no claims -> not_authenticated');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, '42501', NULL,
  'anon cannot execute the summary');
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$, '42501', NULL,
  'integration_worker cannot execute the summary');
SELECT tests.clear_authentication();

-- get_health_trend ----------------------------------------------------------------------
-- A larger cap and 97 results within the last 24 h for org A xledger (1 already at now(),
-- 96 direct result writes at now() - 1 min - i * 14 min), plus 2 older than 24 h.
DO $$
BEGIN
  UPDATE integration_ops.settings SET history_cap = 500;
  UPDATE public.integration_health_status SET checked_at = now() - interval '30 hours'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
  UPDATE public.integration_health_status SET checked_at = now() - interval '25 hours'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
  FOR i IN REVERSE 95..0 LOOP
    UPDATE public.integration_health_status
       SET checked_at = now() - interval '1 minute' - i * interval '14 minutes', latency_ms = i
     WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
  END LOOP;
END
$$;
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'
              AND checked_at >= now() - interval '24 hours'),
  97, 'setup: 97 history rows in the last 24 h');

SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 24)),
  96, 'hours => 24 returns 96 rows (hours * 4) of the 97');
SELECT results_eq(
  $$SELECT status, latency_ms, checked_at FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
      integration_type => 'xledger', hours => 24) LIMIT 2$$,
  $$VALUES ('degraded'::text, 250, now()), ('degraded', 0, now() - interval '1 minute')$$,
  'newest first');
SELECT ok((SELECT bool_and(ok) FROM (
            SELECT checked_at <= lag(checked_at) OVER () AS ok
              FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
                   integration_type => 'xledger', hours => 24) OFFSET 1) AS x),
  'rows are in descending checked_at order');
SELECT is((SELECT min(checked_at) FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 24)),
  now() - interval '1 minute' - 94 * interval '14 minutes', 'the oldest of the 97 is the one left out');
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 1)),
  4, 'hours => 1 returns at most 4 rows (6 fall in the hour)');
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 48)),
  99, 'hours => 48 includes the rows older than 24 h');
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 720)),
  99, 'hours => 720 is accepted');
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'bufdir', hours => 24)),
  0, 'a never-checked pair has no trend');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 0)$$,
  'PT400', 'invalid_argument', 'hours 0 -> invalid_argument');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => NULL)$$,
  'PT400', 'invalid_argument', 'hours NULL -> invalid_argument');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 721)$$,
  'PT400', 'invalid_argument', 'hours 721 -> invalid_argument');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => NULL, hours => 24)$$,
  'PT400', 'invalid_argument', 'integration_type NULL -> invalid_argument');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'bbbbbbbb-0000-0000-0000-000000000002', integration_type => 'xledger', hours => 0)$$,
  'PT400', 'invalid_argument', 'invalid_argument is checked before org_scope_violation');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'bbbbbbbb-0000-0000-0000-000000000002', integration_type => 'nope', hours => 24)$$,
  'PT403', 'org_scope_violation', 'org_scope_violation is checked before unknown_integration_type');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'nope', hours => 24)$$,
  'PT400', 'unknown_integration_type', 'unknown type -> unknown_integration_type');

SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 24)$$,
  'PT403', 'permission_denied', 'coordinator -> permission_denied');
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 24)$$,
  'PT403', 'permission_denied', 'viewer -> permission_denied');
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 24)$$,
  'PT403', 'org_scope_violation', 'another org''s admin -> org_scope_violation');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 24)), 96, 'global admin reads any org''s trend');
SELECT tests.authenticate_as_service_role();
SELECT is((SELECT count(*)::int FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001',
            integration_type => 'xledger', hours => 24)), 96, 'service_role reads any org''s trend');
SELECT tests.authenticate_with_claims('{"role":"authenticated","org_id":"aaaaaaaa-0000-0000-0000-000000000001"}');
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 0)$$,
  'PT401', 'not_authenticated', 'no sub -> not_authenticated, before invalid_argument');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 24)$$,
  '42501', NULL, 'anon cannot execute get_health_trend');
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM public.get_health_trend(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', hours => 24)$$,
  '42501', NULL, 'integration_worker cannot execute get_health_trend');
SELECT tests.clear_authentication();

-- Grants: revoked from PUBLIC/anon, granted to authenticated and service_role only
SELECT ok(NOT has_function_privilege('anon', 'public.get_org_health_status(uuid)', 'execute')
      AND NOT has_function_privilege('anon', 'public.get_global_health_summary()', 'execute')
      AND NOT has_function_privilege('anon', 'public.get_health_trend(uuid, text, integer)', 'execute'),
  'anon executes none of the health RPCs');
SELECT ok(has_function_privilege('authenticated', 'public.get_org_health_status(uuid)', 'execute')
      AND has_function_privilege('authenticated', 'public.get_global_health_summary()', 'execute')
      AND has_function_privilege('authenticated', 'public.get_health_trend(uuid, text, integer)', 'execute'),
  'authenticated executes the health RPCs (they check the caller themselves)');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.oid IN ('public.get_org_health_status(uuid)'::regprocedure, 'public.get_global_health_summary()'::regprocedure,
                   'public.get_health_trend(uuid, text, integer)'::regprocedure)
     AND NOT (NOT p.prosecdef AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'])
  UNION ALL
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.oid IN ('integration_ops.get_org_health_status(uuid)'::regprocedure,
                   'integration_ops.get_global_health_summary()'::regprocedure,
                   'integration_ops.get_health_trend(uuid, text, integer)'::regprocedure)
     AND NOT (p.prosecdef AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'])$$,
  'the health RPCs are pinned invokers of pinned SECURITY DEFINER bodies in integration_ops');

SELECT * FROM finish();
ROLLBACK;
