-- Foundation: schema, roles, settings, membership, claim helpers, allowlist,
-- organization_integrations RLS, and the privilege rules every function follows.
BEGIN;
SELECT plan(36);

-- Schema and roles ------------------------------------------------------------------
SELECT has_schema('integration_ops');
SELECT ok(NOT has_schema_privilege('anon', 'integration_ops', 'usage'), 'anon cannot use integration_ops');
SELECT has_role('integration_worker');
SELECT ok(NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'integration_worker'), 'integration_worker is NOLOGIN');
SELECT ok(NOT (SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'), 'the deploying role postgres is not a superuser');

-- Settings: one row with the contract defaults
SELECT results_eq(
  $$SELECT history_cap, history_retention, run_log_retention, stale_run_timeout,
           manual_rate_limit, drift_alert, health_check_timeout FROM integration_ops.settings$$,
  $$VALUES (96, interval '30 days', interval '90 days', interval '30 minutes',
            interval '5 minutes', interval '5 minutes', interval '10 seconds')$$,
  'settings hold the DESIGN §7 defaults');
SELECT throws_ok($$INSERT INTO integration_ops.settings (id) VALUES (false)$$, '23514', NULL,
  'settings accepts no second row');

-- Allowlist
SELECT set_eq($$SELECT integration_type FROM public.integration_types$$,
  ARRAY['xledger', 'dynamics', 'bufdir'], 'integration_types is seeded with the three types');

-- Error helper
SELECT throws_ok($$SELECT integration_ops.raise_error('rate_limited', 'x')$$, 'PT429', 'rate_limited',
  'raise_error maps codes to PostgREST SQLSTATEs');
SELECT throws_ok($$SELECT integration_ops.raise_error('sync_already_in_progress', 'x')$$, 'PT409', 'sync_already_in_progress',
  'raise_error: PT409');
SELECT throws_ok($$SELECT integration_ops.raise_error('no_such_code', 'x')$$, 'XX000', NULL,
  'raise_error refuses unknown codes');

-- Data: two orgs, members of each role (setup in DO blocks: it prints no TAP)
DO $$
BEGIN
  PERFORM tests.seed_two_orgs();
END
$$;

-- Claim helpers and org_role
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is(integration_ops.jwt_org_id(), 'aaaaaaaa-0000-0000-0000-000000000001'::uuid, 'jwt_org_id reads the org_id claim');
SELECT is(integration_ops.org_role('aaaaaaaa-0000-0000-0000-000000000001'), 'coordinator', 'org_role from membership');
SELECT is(integration_ops.org_role('bbbbbbbb-0000-0000-0000-000000000002'), NULL, 'org_role is NULL in another org');
SELECT ok(NOT integration_ops.is_global_admin(), 'a coordinator is not a global admin');

-- organization_integrations: reads per role
SELECT is((SELECT count(*) FROM public.organization_integrations)::int, 2, 'coordinator reads own org''s integrations');
SELECT throws_ok($$INSERT INTO public.organization_integrations (org_id, integration_type) VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics')$$,
  '42501', NULL, 'authenticated cannot insert integrations');
SELECT throws_ok($$UPDATE public.organization_integrations SET enabled = false$$,
  '42501', NULL, 'authenticated cannot update integrations');
SELECT throws_ok($$DELETE FROM public.organization_integrations$$,
  '42501', NULL, 'authenticated cannot delete integrations');
SELECT throws_ok($$SELECT integration_ops.raise_error('rate_limited', 'x')$$, '42501', NULL,
  'authenticated cannot execute raise_error');
SELECT throws_ok($$SELECT integration_ops.sanitize_error_text('x')$$, '42501', NULL,
  'authenticated cannot execute sanitize_error_text');

SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*) FROM public.organization_integrations)::int, 2, 'admin reads own org''s integrations');
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*) FROM public.organization_integrations)::int, 0, 'viewer reads nothing');
SELECT tests.authenticate_as('bob_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*) FROM public.organization_integrations)::int, 0,
  'an admin of another org claiming this org reads nothing (membership is checked)');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT is((SELECT count(*) FROM public.organization_integrations)::int, 3, 'global admin reads every org');
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT count(*) FROM public.organization_integrations$$, '42501', NULL, 'anon cannot read integrations');
SELECT throws_ok($$SELECT count(*) FROM public.integration_types$$, '42501', NULL, 'anon cannot read the allowlist');
SELECT tests.authenticate_as_service_role();
SELECT is((SELECT count(*) FROM public.organization_integrations)::int, 3, 'service_role reads every org');
SELECT lives_ok($$UPDATE public.organization_integrations SET enabled = true$$, 'service_role writes integrations');
SELECT tests.clear_authentication();

-- Config checks
SELECT throws_ok($$UPDATE public.organization_integrations SET health_check_interval = '5 minutes'$$,
  '23514', NULL, 'health checks run every 15 minutes or slower');
SELECT throws_ok($$UPDATE public.organization_integrations SET delivery = 'carrier_pigeon'$$,
  '23514', NULL, 'delivery is worker or pg_net');

-- Privilege rules for every function of the package
-- 0.3: pg_catalog first and pg_temp named last ('' still searches pg_temp first for types
-- and relations: tests/test_temp_schema_shadowing.py plants them); only the procedures that
-- COMMIT cannot carry a SET clause (docs/supabase.md names them)
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('public', 'integration_ops')
     AND p.oid NOT IN ('integration_ops.cleanup_health_history()'::regprocedure,
                       'integration_ops.dispatch_all_due_syncs()'::regprocedure,
                       'integration_ops.archive_sync_run_log_backlog()'::regprocedure,
                       'integration_ops.pump_pg_net_runs()'::regprocedure)
     AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)$$,
  'every function pins search_path to pg_catalog, pg_temp (but the four procedures that commit)');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('public', 'integration_ops')
     AND has_function_privilege('anon', p.oid, 'execute')$$,
  'anon executes no function of the package');
SELECT is_empty($$
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname IN ('public', 'integration_ops')
     AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                  WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')$$,
  'no function of the package is executable by PUBLIC');

-- No table of the package accepts writes from the API roles (DESIGN §4)
SELECT is_empty($$
  SELECT format('%s: %s %s', c.oid::regclass, r.rolname, p.priv)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   CROSS JOIN (SELECT rolname FROM pg_roles WHERE rolname IN ('anon', 'authenticated')) r
   CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p(priv)
   WHERE n.nspname IN ('public', 'integration_ops') AND c.relkind IN ('r', 'p', 'v')
     AND has_table_privilege(r.rolname, c.oid, p.priv)$$,
  'anon and authenticated can write no table of the package');
SELECT is_empty($$
  SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname IN ('public', 'integration_ops') AND c.relkind IN ('r', 'p')
     AND NOT c.relrowsecurity$$,
  'every table of the package has row-level security enabled');

SELECT * FROM finish();
ROLLBACK;
