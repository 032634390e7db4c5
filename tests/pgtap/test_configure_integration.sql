-- Registering integrations (0.3, issue 23, DESIGN §13): public.configure_integration for
-- service_role and global admins, the URL rules, DESIGN §6 order, an upsert that keeps the
-- pair's schedule anchor and history.
BEGIN;
SELECT plan(27);

DO $$
BEGIN
  PERFORM tests.add_standard_members();
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
END
$$;

-- Who may call it -----------------------------------------------------------------------------
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT public.configure_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'https://x.example/sync')$$,
  '42501', NULL, 'anon cannot execute configure_integration');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT public.configure_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'https://x.example/sync')$$,
  '42501', NULL, 'integration_worker cannot execute configure_integration');
SELECT tests.clear_authentication();
SELECT tests.authenticate_with_claims('{"role":"authenticated","org_id":"aaaaaaaa-0000-0000-0000-000000000001"}');
SELECT throws_ok($$SELECT public.configure_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'https://x.example/sync')$$,
  'PT401', 'not_authenticated', 'no sub: not_authenticated');
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.configure_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'https://x.example/sync')$$,
  'PT403', 'permission_denied', 'an org admin may not configure integrations');
SELECT throws_ok($$SELECT public.configure_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', NULL)$$,
  'PT400', 'invalid_argument', 'invalid_argument comes before permission_denied');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT lives_ok($$SELECT public.configure_integration('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics', 'https://d.example/sync')$$,
  'a global admin configures an integration');
SELECT tests.clear_authentication();

-- service_role: a new pair ----------------------------------------------------------------------
SELECT tests.authenticate_as_service_role();
SELECT results_eq(
  $$SELECT org_id, integration_type, endpoint_url, sync_interval, delivery, health_mode, enabled,
           next_sync_at > now(), warmup_url
      FROM public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'xledger',
                                        'https://x.example/sync', warmup_url => 'https://x.example/warm')$$,
  $$VALUES ('bbbbbbbb-0000-0000-0000-000000000002'::uuid, 'xledger'::text, 'https://x.example/sync'::text,
            interval '1 hour', 'worker'::text, 'active'::text, true, true, 'https://x.example/warm'::text)$$,
  'service_role registers a pair: defaults interval 1 hour, worker delivery, active health, enabled, scheduled');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE public.organization_integrations SET sync_anchor = '2001-01-01 00:30+00'
   WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'xledger';
  PERFORM integration_ops.record_health_check('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'healthy', 10, NULL);
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)
  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'pending', 'manual');
END
$$;
SELECT tests.authenticate_as_service_role();
SELECT results_eq(
  $$SELECT sync_anchor, sync_interval, endpoint_url, extract(minute FROM next_sync_at)::int
      FROM public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'xledger',
                                        'https://x.example/v2', sync_interval => '2 hours')$$,
  $$VALUES ('2001-01-01 00:30+00'::timestamptz, interval '2 hours', 'https://x.example/v2'::text, 30)$$,
  'calling it again is an upsert: the anchor stays and the new interval is aligned to it');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'xledger'),
  1, 'the pair''s health history stays');
SELECT tests.authenticate_as_service_role();
SELECT is((public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'https://x.example/v2',
            enabled => false)).enabled, false, 'disabling through configure_integration');
SELECT tests.clear_authentication();
SELECT is((SELECT error_code FROM public.sync_run_log
            WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'xledger'),
  'integration_disabled', 'its pending run is cancelled as for any disable');
SELECT tests.authenticate_as_service_role();
SELECT is((public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'bufdir', 'https://b.example/x',
            sync_interval => NULL)).next_sync_at, NULL, 'sync_interval NULL: manual runs only');

-- Refusals, none of which writes ----------------------------------------------------------------
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'salesforce', 'https://s.example/x')$$,
  'PT400', 'unknown_integration_type', 'an unknown type');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'http://d.example/x')$$,
  'PT400', 'invalid_argument', 'plain http to a public host is refused');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://169.254.169.254/x')$$,
  'PT400', 'invalid_argument', 'a link-local (metadata) address is refused');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    warmup_url => 'https://metadata.google.internal/')$$,
  'PT400', 'invalid_argument', 'a metadata host name as warmup_url is refused');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    health_config => '{"url": "https://10.0.0.1/ping"}')$$,
  'PT400', 'invalid_argument', 'a private health url is refused');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    delivery => 'carrier_pigeon')$$,
  'PT400', 'invalid_argument', 'an unknown delivery');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    health_mode => 'loud')$$,
  'PT400', 'invalid_argument', 'an unknown health mode');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    sync_interval => '1 month')$$,
  'PT400', 'invalid_argument', 'an interval in months');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    sync_interval => '10 seconds')$$,
  'PT400', 'invalid_argument', 'an interval under a minute');
SELECT throws_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'https://d.example/x',
                    health_config => '[1]')$$,
  'PT400', 'invalid_argument', 'health_config must be an object');
SELECT lives_ok($$SELECT public.configure_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'http://127.0.0.1:8080/x')$$,
  'plain http to loopback (settings.allowed_http_hosts) is accepted');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.organization_integrations
            WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'dynamics'
              AND endpoint_url <> 'http://127.0.0.1:8080/x'), 0, 'refused calls wrote nothing');

-- The same rules on a direct write (service_role through PostgREST) -----------------------------
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$UPDATE public.organization_integrations SET endpoint_url = 'https://[fd00::1]/x'
                    WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'dynamics'$$,
  'PT400', 'invalid_argument', 'a direct write of a private URL is refused too');
SELECT tests.clear_authentication();
SELECT ok(has_function_privilege('service_role', 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)', 'execute')
          AND NOT has_function_privilege('anon', 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)', 'execute'),
  'EXECUTE for service_role and authenticated (checked inside), never anon');
SELECT ok(NOT (SELECT prosecdef FROM pg_proc WHERE oid = 'public.configure_integration(uuid, text, text, interval, text, text, jsonb, text, boolean)'::regprocedure),
  'the exposed RPC is an invoker');

SELECT * FROM finish();
ROLLBACK;
