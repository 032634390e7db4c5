-- Manual trigger (issue 7): trigger_integration_sync role matrix, DESIGN §6 check order,
-- rate limit, audit trail (append-only, survives archival), same engine as dispatch.
BEGIN;
SELECT plan(51);

DO $$
BEGIN
  PERFORM tests.add_standard_members();
  PERFORM tests.add_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger');
  PERFORM tests.add_integration('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir');
  PERFORM tests.add_integration('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics', enabled => false);
  PERFORM tests.add_integration('bbbbbbbb-0000-0000-0000-000000000002', 'xledger');
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
END
$$;

SELECT tests.clear_authentication();
SELECT function_privs_are('public', 'trigger_integration_sync', ARRAY['uuid', 'text'], 'authenticated', ARRAY['EXECUTE'],
  'authenticated may execute trigger_integration_sync');
SELECT function_privs_are('public', 'trigger_integration_sync', ARRAY['uuid', 'text'], 'anon', ARRAY[]::text[],
  'anon may not');
SELECT ok(has_function_privilege('service_role', 'public.trigger_integration_sync(uuid, text)', 'execute'),
  'service_role may (0.3, DESIGN §13: a backend or a database trigger starts a sync)');

-- Refusals, in DESIGN §6 order; none of them writes anything ----------------------------------
SELECT tests.authenticate_with_claims('{"role":"authenticated","org_id":"aaaaaaaa-0000-0000-0000-000000000001"}');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT401', 'not_authenticated', 'no sub: not_authenticated');
SELECT throws_ok($$SELECT public.trigger_integration_sync(NULL, NULL)$$,
  'PT401', 'not_authenticated', 'not_authenticated comes before invalid_argument');
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync(NULL, 'xledger')$$,
  'PT400', 'invalid_argument', 'NULL org_id: invalid_argument');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', NULL)$$,
  'PT400', 'invalid_argument', 'NULL integration_type: invalid_argument');
SELECT throws_ok($$SELECT public.trigger_integration_sync('bbbbbbbb-0000-0000-0000-000000000002', NULL)$$,
  'PT400', 'invalid_argument', 'invalid_argument comes before org_scope_violation');
SELECT throws_ok($$SELECT public.trigger_integration_sync('bbbbbbbb-0000-0000-0000-000000000002', 'xledger')$$,
  'PT403', 'org_scope_violation', 'JWT org differs from the argument: org_scope_violation');
SELECT throws_ok($$SELECT public.trigger_integration_sync('bbbbbbbb-0000-0000-0000-000000000002', 'salesforce')$$,
  'PT403', 'org_scope_violation', 'org_scope_violation comes before unknown_integration_type');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'salesforce')$$,
  'PT400', 'unknown_integration_type', 'unknown type');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger''); DELETE FROM public.integration_types; --')$$,
  'PT400', 'unknown_integration_type', 'an injection-shaped type is an unknown type');
SELECT is((SELECT count(*)::int FROM public.integration_types), 3, 'and the allowlist is intact');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics')$$,
  'PT404', 'integration_not_configured', 'configured but disabled: integration_not_configured');
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT403', 'permission_denied', 'viewer: permission_denied');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'salesforce')$$,
  'PT403', 'permission_denied', 'permission_denied comes before unknown_integration_type');
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT403', 'org_scope_violation', 'other org''s admin: org_scope_violation');
SELECT tests.authenticate_as('bob_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT403', 'permission_denied', 'other org''s admin claiming the org in the JWT: permission_denied (membership)');
SELECT tests.authenticate_as('gina_global', 'aaaaaaaa-0000-0000-0000-000000000001', 'global_admin');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT403', 'permission_denied', 'a global admin without membership may not trigger');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  '42501', NULL, 'anon cannot execute');
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics')$$,
  'PT404', 'integration_not_configured', 'service_role goes through the same checks (a disabled pair)');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  '42501', NULL, 'integration_worker cannot execute');
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT integration_ops.trigger_integration_sync_as_service_role('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  '42501', NULL, 'a signed-in user cannot call the service_role entry directly');
SELECT throws_ok($$SELECT integration_ops.start_manual_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', true)$$,
  '42501', NULL, 'nor the body behind both entries');
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$SELECT integration_ops.start_manual_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', true)$$,
  '42501', NULL, 'service_role cannot call the body either (only the owner)');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 0, 'refused calls wrote no run');
SELECT is((SELECT count(*)::int FROM integration_ops.sync_trigger_audit WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 0, 'refused calls wrote no audit row');

-- Accepted: coordinator -------------------------------------------------------------------------
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
DO $$
BEGIN
  PERFORM set_config('tests.run', public.trigger_integration_sync(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger')::text, true);
END
$$;
SELECT tests.clear_authentication();
SELECT results_eq(
  $$SELECT status, triggered_by, triggered_by_user_id, scheduled_for, idempotency_key FROM public.sync_run_log
     WHERE id = current_setting('tests.run')::uuid$$,
  $$SELECT 'pending'::text, 'manual'::text, tests.get_user_id('carl_coord'), NULL::timestamptz, current_setting('tests.run')$$,
  'coordinator: a pending manual run attributed to the caller (0.3: its own id is its idempotency key)');
SELECT results_eq(
  $$SELECT run_id, user_id, org_id, integration_type FROM integration_ops.sync_trigger_audit WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001'$$,
  $$SELECT current_setting('tests.run')::uuid, tests.get_user_id('carl_coord'), 'aaaaaaaa-0000-0000-0000-000000000001'::uuid, 'xledger'::text$$,
  'exactly one audit row for the accepted trigger');
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT status FROM public.sync_run_log WHERE id = current_setting('tests.run')::uuid), 'pending',
  'the caller can follow the run (RLS read)');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT409', 'sync_already_in_progress', 'a second trigger while pending: sync_already_in_progress');
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT409', 'sync_already_in_progress', 'sync_already_in_progress comes before rate_limited');
SELECT lives_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir')$$,
  'admin: allowed');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM integration_ops.sync_trigger_audit WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 2, 'refused second trigger wrote no audit row');

-- Same engine: the worker claims the manual run -------------------------------------------------
SELECT tests.authenticate_as_worker();
DO $$
BEGIN
  PERFORM set_config('tests.claimed', (SELECT jsonb_agg(to_jsonb(c))::text FROM integration_ops.claim_sync_runs('w-manual', 10) AS c), true);
END
$$;
SELECT ok(current_setting('tests.claimed')::jsonb @> jsonb_build_array(jsonb_build_object(
    'run_id', current_setting('tests.run'), 'triggered_by', 'manual', 'integration_type', 'xledger')),
  'claim_sync_runs hands the manual run to the worker like any other');
SELECT results_eq(
  $$SELECT status FROM integration_ops.complete_sync_run(current_setting('tests.run')::uuid, 3, 0)$$,
  $$VALUES ('completed'::text)$$, 'and the worker completes it');
SELECT tests.clear_authentication();

-- Rate limit -----------------------------------------------------------------------------------------
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT429', 'rate_limited', 'a second trigger within 5 minutes after the first completed: rate_limited');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE public.sync_run_log SET created_at = now() - interval '4 minutes 59 seconds' WHERE id = current_setting('tests.run')::uuid;
END
$$;
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT429', 'rate_limited', 'still rate_limited just inside the window');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE public.sync_run_log SET created_at = now() - interval '5 minutes 1 second' WHERE id = current_setting('tests.run')::uuid;
END
$$;
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT lives_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'allowed again after the window (stored timestamp moved back)');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'running'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger' AND status = 'pending';
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now(), created_at = now() - interval '6 minutes'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
  UPDATE integration_ops.settings SET manual_rate_limit = interval '10 minutes';
END
$$;
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.trigger_integration_sync('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  'PT429', 'rate_limited', 'the window comes from settings.manual_rate_limit');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM integration_ops.sync_trigger_audit WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 3, 'one audit row per accepted trigger, none for refusals');

-- Scheduled runs do not count toward the manual rate limit; a scheduled pending run blocks
DO $$
BEGIN
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)
  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'pending', 'scheduler');
END
$$;
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT throws_ok($$SELECT public.trigger_integration_sync('bbbbbbbb-0000-0000-0000-000000000002', 'xledger')$$,
  'PT409', 'sync_already_in_progress', 'a pending scheduled run blocks a manual trigger');
SELECT tests.clear_authentication();

-- Audit: append-only for every role, the owner included; untouched by archival ----------------------
SELECT tests.authenticate_as_service_role();
SELECT is((SELECT count(*)::int FROM integration_ops.sync_trigger_audit WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 3, 'service_role reads the audit');
SELECT throws_ok($$UPDATE integration_ops.sync_trigger_audit SET user_id = gen_random_uuid()$$, '42501', NULL,
  'service_role cannot update the audit');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT throws_ok($$SELECT count(*) FROM integration_ops.sync_trigger_audit$$, '42501', NULL,
  'a global admin cannot read the audit directly');
SELECT tests.clear_authentication();
SET LOCAL ROLE postgres;
SELECT throws_ok($$UPDATE integration_ops.sync_trigger_audit SET user_id = gen_random_uuid()$$, '42501',
  'integration_ops.sync_trigger_audit is append-only: UPDATE refused', 'the owner cannot UPDATE audit rows');
SELECT throws_ok($$DELETE FROM integration_ops.sync_trigger_audit$$, '42501',
  'integration_ops.sync_trigger_audit is append-only: DELETE refused', 'the owner cannot DELETE audit rows');
SELECT throws_ok($$TRUNCATE integration_ops.sync_trigger_audit$$, '42501',
  'integration_ops.sync_trigger_audit is append-only: TRUNCATE refused', 'the owner cannot TRUNCATE the audit');
RESET ROLE;
SELECT throws_ok($$DELETE FROM integration_ops.sync_trigger_audit$$, '42501', NULL,
  'not even a superuser deletes audit rows (the trigger fires for every role)');
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'running'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND status = 'pending';
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now() - interval '100 days', started_at = now() - interval '100 days'
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001';
  PERFORM integration_ops.archive_sync_run_log();
END
$$;
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001'), 0,
  'the manually triggered runs were archived');
SELECT is((SELECT count(*)::int FROM integration_ops.sync_trigger_audit WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 3, 'their audit rows remain');

SELECT * FROM finish();
ROLLBACK;
