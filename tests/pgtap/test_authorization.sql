-- Authorization hardening (issue 14, DESIGN §4, §6, §12): service role from the database
-- role only, malformed claims are not_authenticated, signed-out callers get 42501 (HTTP
-- 401 from PostgREST), error DETAILs echo at most 100 characters of input.
BEGIN;
SELECT plan(38);

DO $$
BEGIN
  PERFORM tests.seed_two_orgs();
END
$$;

-- 1. Service role = the database role service_role in effect ------------------------------
-- authenticated + a role claim of service_role (what any session holding authenticated can
-- set): nothing more than the claims' own user.
SELECT tests.authenticate_with_claims('{"role":"service_role"}');
SELECT ok(NOT integration_ops.is_service_role(), 'authenticated + role claim service_role: not service role');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'a role claim alone does not read an org''s health');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('bbbbbbbb-0000-0000-0000-000000000002')$$,
  'PT401', 'not_authenticated', 'a role claim alone does not read an org''s runs');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 0, 'a role claim alone reads no run through RLS');
SELECT tests.authenticate_with_claims(jsonb_build_object('role', 'service_role',
  'sub', tests.get_user_id('vera_viewer'), 'org_id', 'aaaaaaaa-0000-0000-0000-000000000001'));
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'permission_denied', 'a viewer claiming role service_role is still a viewer');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('bbbbbbbb-0000-0000-0000-000000000002')$$,
  'PT403', 'org_scope_violation', '... and cannot read another org');
SELECT tests.clear_authentication();

-- The database role service_role (PostgREST's SET ROLE), claims or not.
DO $$
BEGIN
  PERFORM set_config('request.jwt.claims', '', true);
  PERFORM set_config('role', 'service_role', true);
END
$$;
SELECT ok(integration_ops.is_service_role(), 'SET ROLE service_role without claims: service role');
SELECT lives_ok($$SELECT * FROM public.get_org_health_status('bbbbbbbb-0000-0000-0000-000000000002')$$,
  'service_role reads any org without claims');
SELECT tests.authenticate_as_service_role();
SELECT ok(integration_ops.is_service_role(), 'SET ROLE service_role with its claims: service role');
SELECT is((SELECT count(*)::int FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')), 2,
  'service_role reads org A''s health');
SELECT tests.clear_authentication();
SELECT ok(NOT integration_ops.is_service_role(), 'the deploying role is not service role');

-- 2. Malformed claims: not_authenticated, never 22P02/22P05 --------------------------------
DO $$
BEGIN
  PERFORM set_config('request.jwt.claims', 'not json', true);
  PERFORM set_config('role', 'authenticated', true);
END
$$;
SELECT is(integration_ops.jwt_sub(), NULL, 'claims that are not JSON: no sub, no error');
SELECT is(integration_ops.jwt_org_id(), NULL, 'claims that are not JSON: no org_id, no error');
SELECT ok(NOT integration_ops.is_global_admin(), 'claims that are not JSON: not a global admin');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'claims that are not JSON: not_authenticated');
SELECT lives_ok($$SELECT count(*) FROM public.sync_run_log$$, 'claims that are not JSON: RLS reads raise nothing');
SELECT tests.authenticate_with_claims('[1, 2]');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'claims that are JSON but not an object: not_authenticated');
DO $$
BEGIN
  -- \u0000 is valid JSON text that jsonb refuses with 22P05
  PERFORM set_config('request.jwt.claims', '{"sub":"\u0000"}', true);
  PERFORM set_config('role', 'authenticated', true);
END
$$;
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'claims jsonb refuses (\u0000): not_authenticated');
SELECT lives_ok($$SELECT count(*) FROM public.integration_health_status$$, 'claims jsonb refuses: RLS reads raise nothing');
SELECT tests.authenticate_with_claims('{"sub":"not-a-uuid","org_id":"aaaaaaaa-0000-0000-0000-000000000001"}');
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'a sub that is not a uuid: not_authenticated');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT401', 'not_authenticated', 'a sub that is not a uuid: the manual trigger says not_authenticated');
SELECT tests.authenticate_with_claims(jsonb_build_object('sub', tests.get_user_id('alice_admin'), 'org_id', 'not-a-uuid'));
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'an org_id that is not a uuid: not_authenticated');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT401', 'not_authenticated', 'an org_id that is not a uuid: the manual trigger says not_authenticated');
SELECT tests.authenticate_with_claims(jsonb_build_object('sub', tests.get_user_id('gina_global'),
  'org_id', 12345, 'user_role', 'global_admin'));
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'a global admin with a malformed org_id claim: not_authenticated');
-- the well-formed cases still pass
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')), 2,
  'a well-formed admin still reads her org');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT is((SELECT count(*)::int FROM public.get_org_health_status('bbbbbbbb-0000-0000-0000-000000000002')), 1,
  'a global admin without org_id still reads any org');
SELECT tests.clear_authentication();

-- 4. Error DETAIL: at most 100 characters of caller input ----------------------------------
SELECT tests.authenticate_as_service_role();
DO $$
DECLARE
  v_detail text;
BEGIN
  PERFORM * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', repeat('x', 1000000), 20);
EXCEPTION WHEN SQLSTATE 'PT400' THEN
  GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
  PERFORM set_config('tests.detail', v_detail, true);
END
$$;
SELECT ok(length(current_setting('tests.detail')) <= 200,
  'a 1 MB integration_type comes back in a short DETAIL (' || length(current_setting('tests.detail')) || ' characters)');
SELECT ok(current_setting('tests.detail') LIKE '%' || repeat('x', 97) || '...%'
          AND current_setting('tests.detail') NOT LIKE '%' || repeat('x', 98) || '%',
  'the DETAIL quotes the first 97 characters of the input and "..."');
SELECT tests.clear_authentication();
SELECT is(integration_ops.error_excerpt(repeat('y', 101)), repeat('y', 97) || '...', 'error_excerpt: 100 characters at most');
SELECT is(integration_ops.error_excerpt('short'), 'short', 'error_excerpt: short input unchanged');
DO $$
DECLARE
  v_detail text;
BEGIN
  PERFORM integration_ops.raise_error('invalid_argument', repeat('z', 5000));
EXCEPTION WHEN SQLSTATE 'PT400' THEN
  GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
  PERFORM set_config('tests.detail', v_detail, true);
END
$$;
SELECT is(length(current_setting('tests.detail')), 300, 'raise_error caps any DETAIL at 300 characters');

-- 11. Signed-out callers: anon has no EXECUTE (PostgREST: HTTP 401, SQLSTATE 42501) --------
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT * FROM public.get_org_health_status('aaaaaaaa-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'anon: get_org_health_status is 42501');
SELECT throws_ok($$SELECT * FROM public.get_global_health_summary()$$,
  '42501', NULL, 'anon: get_global_health_summary is 42501');
SELECT throws_ok($$SELECT * FROM public.get_health_trend('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 24)$$,
  '42501', NULL, 'anon: get_health_trend is 42501');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'anon: get_last_run_per_integration is 42501');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 20)$$,
  '42501', NULL, 'anon: get_run_history is 42501');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  '42501', NULL, 'anon: trigger_integration_sync is 42501');
SELECT tests.clear_authentication();
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p
   WHERE p.pronamespace = 'public'::regnamespace
     AND p.oid::regprocedure::text ~ '^(get_|trigger_integration_sync|insert_run_log|update_run_log_status)'
     AND has_function_privilege('anon', p.oid, 'execute')$$,
  'anon executes none of the public RPCs');

SELECT * FROM finish();
ROLLBACK;
