-- Sync run log (issue 3): table, RLS, Realtime, insert/update/read RPCs, sanitising,
-- archival, role matrix and DESIGN §6 check order.
BEGIN;
SELECT plan(105);

-- Schema -------------------------------------------------------------------------------
SELECT has_table('public', 'sync_run_log', 'sync_run_log exists');
SELECT columns_are('public', 'sync_run_log', ARRAY['id', 'org_id', 'integration_type', 'status',
  'triggered_by', 'triggered_by_user_id', 'created_at', 'scheduled_for', 'idempotency_key',
  'started_at', 'ended_at', 'records_processed', 'records_failed', 'error_code', 'error_message',
  'worker_id', 'heartbeat_at', 'duration_seconds', 'drift_seconds', 'net_request_id', 'cold_start',
  'attempt', 'retry_of', 'not_before'],
  'sync_run_log has the DESIGN §7 columns plus drift_seconds, net_request_id, cold_start (§12) and attempt, retry_of, not_before (§13)');
SELECT col_is_pk('public', 'sync_run_log', 'id', 'id is the primary key');
SELECT col_default_is('public', 'sync_run_log', 'id', 'gen_random_uuid()', 'ids are random uuids');
SELECT has_index('public', 'sync_run_log', 'sync_run_log_pair_started_idx',
  ARRAY['org_id', 'integration_type', 'started_at'], 'index (org_id, integration_type, started_at DESC)');
SELECT ok((SELECT indisunique AND pg_get_expr(indpred, indrelid) LIKE '%pending%running%'
             FROM pg_index WHERE indexrelid = 'public.sync_run_log_one_active_per_pair'::regclass),
  'partial UNIQUE (org_id, integration_type) on pending/running runs');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'public.sync_run_log'::regclass), 'RLS is enabled');
SELECT ok(EXISTS (SELECT FROM pg_publication_tables WHERE pubname = 'supabase_realtime'
                     AND schemaname = 'public' AND tablename = 'sync_run_log'),
  'sync_run_log is in publication supabase_realtime');
SELECT is((SELECT relreplident::text FROM pg_class WHERE oid = 'public.sync_run_log'::regclass), 'd',
  'replica identity is the primary key (DEFAULT)');
SELECT throws_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)
                   VALUES (gen_random_uuid(), 'xledger', 'done', 'manual')$$, '23514', NULL,
  'status is a CHECK of the five states');
SELECT throws_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, triggered_by, records_processed)
                   VALUES (gen_random_uuid(), 'xledger', 'manual', -1)$$, '23514', NULL,
  'records_processed is never negative');
SELECT throws_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, triggered_by)
                   VALUES (gen_random_uuid(), 'nope', 'manual')$$, '23503', NULL,
  'integration_type references the allowlist');

-- Data -----------------------------------------------------------------------------------
DO $$
BEGIN
  PERFORM tests.seed_two_orgs();
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-000000000003', 'xledger');
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-000000000003', 'dynamics', enabled => false);
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, started_at, ended_at, records_processed)
  VALUES
    ('10000000-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'completed', 'scheduler', now() - interval '3 hours', now() - interval '179 minutes', 1),
    ('10000000-0000-0000-0000-000000000002', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'failed', 'scheduler', now() - interval '2 hours', now() - interval '119 minutes', 2),
    ('10000000-0000-0000-0000-000000000003', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'completed', 'manual', now() - interval '1 hour', now() - interval '59 minutes', 3),
    ('10000000-0000-0000-0000-000000000004', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'completed', 'scheduler', now() - interval '5 hours', now() - interval '299 minutes', 4),
    ('10000000-0000-0000-0000-000000000005', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'completed', 'scheduler', now() - interval '4 hours', now() - interval '239 minutes', 5),
    ('10000000-0000-0000-0000-000000000006', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'completed', 'scheduler', now() - interval '1 hour', now() - interval '59 minutes', 6);
END
$$;

-- insert_run_log / update_run_log_status as service_role -----------------------------------
SELECT tests.authenticate_as_service_role();
DO $$
BEGIN
  PERFORM set_config('tests.run', public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'xledger', 'manual')::text, true);
END
$$;
SELECT results_eq(
  $$SELECT status, triggered_by, ended_at IS NULL, heartbeat_at IS NOT NULL FROM public.sync_run_log
     WHERE id = current_setting('tests.run')::uuid$$,
  $$VALUES ('running'::text, 'manual'::text, true, true)$$,
  'insert_run_log creates a running run');
SELECT throws_ok($$SELECT public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'xledger', 'scheduler')$$,
  'PT409', 'sync_already_in_progress', 'a second active run for the pair: sync_already_in_progress');
SELECT throws_ok($$SELECT public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'xledger', 'cron')$$,
  'PT400', 'invalid_argument', 'insert_run_log: triggered_by outside scheduler/manual');
SELECT throws_ok($$SELECT public.insert_run_log(NULL, 'xledger', 'manual')$$,
  'PT400', 'invalid_argument', 'insert_run_log: NULL org_id');
SELECT throws_ok($$SELECT public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'salesforce', 'manual')$$,
  'PT400', 'unknown_integration_type', 'insert_run_log: unknown type');
SELECT throws_ok($$SELECT public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'bufdir', 'manual')$$,
  'PT404', 'integration_not_configured', 'insert_run_log: type not configured');
SELECT throws_ok($$SELECT public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'dynamics', 'manual')$$,
  'PT404', 'integration_not_configured', 'insert_run_log: configured but disabled');

-- progress: running -> running
SELECT results_eq(
  $$SELECT status, records_processed, records_failed, error_message, ended_at IS NULL
      FROM public.update_run_log_status(current_setting('tests.run')::uuid, 'running', 5, 1, 'half way')$$,
  $$VALUES ('running'::text, 5, 1, 'half way'::text, true)$$,
  'running -> running is a progress update (counts and message stored, no ended_at)');
SELECT results_eq(
  $$SELECT error_message FROM public.update_run_log_status(current_setting('tests.run')::uuid, 'running', 7, 1, NULL)$$,
  $$VALUES (NULL::text)$$,
  'a NULL error_message clears the stored one');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'pending', 0, 0, NULL)$$,
  'PT400', 'invalid_argument', 'status pending is not a target');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'done', 0, 0, NULL)$$,
  'PT400', 'invalid_argument', 'unknown status');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, NULL, 0, 0, NULL)$$,
  'PT400', 'invalid_argument', 'NULL status');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'running', -1, 0, NULL)$$,
  'PT400', 'invalid_argument', 'negative records_processed');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'running', 0, -1, NULL)$$,
  'PT400', 'invalid_argument', 'negative records_failed');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'running', NULL, 0, NULL)$$,
  'PT400', 'invalid_argument', 'NULL records_processed');
SELECT throws_ok($$SELECT public.update_run_log_status(NULL, 'running', 0, 0, NULL)$$,
  'PT400', 'invalid_argument', 'NULL run_id');
SELECT throws_ok($$SELECT public.update_run_log_status('99999999-0000-0000-0000-000000000000', 'completed', 0, 0, NULL)$$,
  'PT404', 'run_not_found', 'unknown run id: run_not_found');
SELECT results_eq(
  $$SELECT status, records_processed, records_failed, ended_at IS NOT NULL, duration_seconds IS NOT NULL AND duration_seconds >= 0
      FROM public.update_run_log_status(current_setting('tests.run')::uuid, 'completed', 10, 2, NULL)$$,
  $$VALUES ('completed'::text, 10, 2, true, true)$$,
  'running -> completed: counts stored, ended_at and duration_seconds set');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'failed', 0, 0, 'late')$$,
  'PT409', 'invalid_transition', 'completed -> failed is refused');
SELECT throws_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'running', 0, 0, NULL)$$,
  'PT409', 'invalid_transition', 'completed -> running is refused');
SELECT is((SELECT records_processed FROM public.sync_run_log WHERE id = current_setting('tests.run')::uuid), 10,
  'a refused transition overwrites nothing');

-- running -> failed with a hostile message; running -> cancelled
DO $$
BEGIN
  PERFORM set_config('tests.run', public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'xledger', 'scheduler')::text, true);
END
$$;
SELECT lives_ok($$SELECT public.update_run_log_status(current_setting('tests.run')::uuid, 'failed', 0, 3,
    'Traceback (most recent call last):' || E'\n' ||
    '  File "/app/sync.py", line 42, in run' || E'\n' ||
    '    response = client.post(url)' || E'\n' ||
    'Authorization: Bearer abc.DEF-ghi_123' || E'\n' ||
    'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXZhbHVl' || E'\n' ||
    'connect failed: password=hunter2 host=db' || E'\n' ||
    'ValueError: upstream refused ' || repeat('x', 5000))$$,
  'running -> failed with a 5,000-character hostile message');
SELECT results_eq(
  $$SELECT status, length(error_message) <= 2000, ended_at IS NOT NULL FROM public.sync_run_log
     WHERE id = current_setting('tests.run')::uuid$$,
  $$VALUES ('failed'::text, true, true)$$,
  'failed: stored message is at most 2000 characters');
SELECT ok((SELECT error_message !~ 'Traceback|File "|client\.post|abc\.DEF|eyJhbGciOiJIUzI1NiJ9|hunter2'
             AND error_message ~ 'ValueError: upstream refused'
             FROM public.sync_run_log WHERE id = current_setting('tests.run')::uuid),
  'failed: no traceback, bearer token, JWT or password survives; the error line does');
DO $$
BEGIN
  PERFORM set_config('tests.run', public.insert_run_log('cccccccc-0000-0000-0000-000000000003', 'xledger', 'manual')::text, true);
END
$$;
SELECT results_eq(
  $$SELECT status, ended_at IS NOT NULL FROM public.update_run_log_status(current_setting('tests.run')::uuid, 'cancelled', 0, 0, NULL)$$,
  $$VALUES ('cancelled'::text, true)$$,
  'running -> cancelled sets ended_at');
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by)
  VALUES ('20000000-0000-0000-0000-000000000001', 'cccccccc-0000-0000-0000-000000000003', 'xledger', 'pending', 'manual');
END
$$;
SELECT throws_ok($$SELECT public.update_run_log_status('20000000-0000-0000-0000-000000000001', 'completed', 0, 0, NULL)$$,
  'PT409', 'invalid_transition', 'pending -> completed is refused (only running runs change)');

-- Reads as service_role
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 6,
  'service_role reads every row');
SELECT results_eq(
  $$SELECT id FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  $$VALUES ('10000000-0000-0000-0000-000000000005'::uuid), ('10000000-0000-0000-0000-000000000003'::uuid)$$,
  'service_role: last run per integration, newest per type');

-- Coordinator of org A -------------------------------------------------------------------
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 5, 'coordinator reads own org''s runs only');
SELECT results_eq(
  $$SELECT id FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  $$VALUES ('10000000-0000-0000-0000-000000000005'::uuid), ('10000000-0000-0000-0000-000000000003'::uuid)$$,
  'coordinator: only the newest run per type (bufdir, xledger)');
SELECT results_eq(
  $$SELECT id FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger')$$,
  $$VALUES ('10000000-0000-0000-0000-000000000003'::uuid), ('10000000-0000-0000-0000-000000000002'::uuid),
           ('10000000-0000-0000-0000-000000000001'::uuid)$$,
  'coordinator: history newest first by started_at (default row_limit)');
SELECT results_eq(
  $$SELECT id FROM public.get_run_history(org_id => 'aaaaaaaa-0000-0000-0000-000000000001', integration_type => 'xledger', row_limit => 2)$$,
  $$VALUES ('10000000-0000-0000-0000-000000000003'::uuid), ('10000000-0000-0000-0000-000000000002'::uuid)$$,
  'history respects row_limit (named parameters as PostgREST sends them)');
SELECT is((SELECT count(*)::int FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 500)), 3,
  'row_limit 500 is allowed');
SELECT is((SELECT count(*)::int FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics', 1)), 0,
  'history of an allowlisted type without runs is empty');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 0)$$,
  'PT400', 'invalid_argument', 'row_limit 0 is refused');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 501)$$,
  'PT400', 'invalid_argument', 'row_limit 501 is refused');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', NULL)$$,
  'PT400', 'invalid_argument', 'row_limit NULL is refused');
SELECT throws_ok($$SELECT * FROM public.get_run_history(NULL, 'xledger', 5)$$,
  'PT400', 'invalid_argument', 'history: NULL org_id');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', NULL, 5)$$,
  'PT400', 'invalid_argument', 'history: NULL integration_type');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration(NULL)$$,
  'PT400', 'invalid_argument', 'last run: NULL org_id');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'x''; DROP TABLE public.sync_run_log; --', 5)$$,
  'PT400', 'unknown_integration_type', 'history: injection-shaped type is just an unknown type');
SELECT has_table('public', 'sync_run_log', 'and the table is intact');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('bbbbbbbb-0000-0000-0000-000000000002')$$,
  'PT403', 'org_scope_violation', 'coordinator: another org_id than the JWT''s');
SELECT throws_ok($$SELECT * FROM public.get_run_history('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 5)$$,
  'PT403', 'org_scope_violation', 'coordinator: history of another org');
SELECT throws_ok($$SELECT * FROM public.get_run_history('bbbbbbbb-0000-0000-0000-000000000002', 'nope', 0)$$,
  'PT400', 'invalid_argument', 'check order: invalid_argument before org_scope_violation');
SELECT throws_ok($$SELECT * FROM public.get_run_history('bbbbbbbb-0000-0000-0000-000000000002', 'nope', 5)$$,
  'PT403', 'org_scope_violation', 'check order: org_scope_violation before unknown_integration_type');
SELECT throws_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, triggered_by)
                   VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'manual')$$,
  '42501', NULL, 'authenticated cannot insert runs');
SELECT throws_ok($$UPDATE public.sync_run_log SET status = 'failed'$$, '42501', NULL, 'authenticated cannot update runs');
SELECT throws_ok($$DELETE FROM public.sync_run_log$$, '42501', NULL, 'authenticated cannot delete runs');
SELECT throws_ok($$SELECT public.insert_run_log('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'manual')$$,
  '42501', NULL, 'authenticated cannot execute insert_run_log');
SELECT throws_ok($$SELECT public.update_run_log_status('10000000-0000-0000-0000-000000000003', 'failed', 0, 0, NULL)$$,
  '42501', NULL, 'authenticated cannot execute update_run_log_status');

-- Admin of org A
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 5, 'admin reads own org''s runs');
SELECT is((SELECT count(*)::int FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')), 2,
  'admin: last run per integration');
SELECT is((SELECT count(*)::int FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 20)), 2,
  'admin: history');
SELECT throws_ok($$SELECT * FROM public.get_run_history('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 5)$$,
  'PT403', 'org_scope_violation', 'admin: history of another org');

-- Viewer of org A
SELECT tests.authenticate_as('vera_viewer', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 0, 'viewer reads no runs');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'permission_denied', 'viewer: last run refused');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 5)$$,
  'PT403', 'permission_denied', 'viewer: history refused');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'nope', 5)$$,
  'PT403', 'permission_denied', 'check order: permission_denied before unknown_integration_type');

-- Admin of org B
SELECT tests.authenticate_as('bob_admin', 'bbbbbbbb-0000-0000-0000-000000000002');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 1, 'other org''s admin reads only its own org''s run');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'org_scope_violation', 'other org''s admin: org A refused (scope)');
SELECT tests.authenticate_as('bob_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 0,
  'other org''s admin claiming org A in the JWT reads nothing (membership is checked)');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT403', 'permission_denied', 'other org''s admin claiming org A: permission_denied');

-- Global admin
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id IN ('aaaaaaaa-0000-0000-0000-000000000001', 'bbbbbbbb-0000-0000-0000-000000000002')), 6,
  'global admin reads every org''s runs');
SELECT is((SELECT count(*)::int FROM public.get_last_run_per_integration('bbbbbbbb-0000-0000-0000-000000000002')), 1,
  'global admin: last run of any org');
SELECT is((SELECT count(*)::int FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 2)), 2,
  'global admin: history of any org');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'nope', 2)$$,
  'PT400', 'unknown_integration_type', 'global admin: unknown type');
SELECT throws_ok($$UPDATE public.sync_run_log SET status = 'failed'$$, '42501', NULL, 'global admin cannot update runs');

-- No sub
SELECT tests.authenticate_with_claims('{"role":"authenticated","org_id":"aaaaaaaa-0000-0000-0000-000000000001"}');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  'PT401', 'not_authenticated', 'no sub: not_authenticated');
SELECT throws_ok($$SELECT * FROM public.get_run_history(NULL, NULL, 0)$$,
  'PT401', 'not_authenticated', 'check order: not_authenticated before invalid_argument');
SELECT is((SELECT count(*)::int FROM public.sync_run_log), 0, 'no sub: the table shows nothing');

-- anon
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT count(*) FROM public.sync_run_log$$, '42501', NULL, 'anon cannot read runs');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'anon cannot execute get_last_run_per_integration');
SELECT throws_ok($$SELECT * FROM public.get_run_history('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 5)$$,
  '42501', NULL, 'anon cannot execute get_run_history');
SELECT throws_ok($$SELECT public.insert_run_log('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'manual')$$,
  '42501', NULL, 'anon cannot execute insert_run_log');

-- integration_worker (pgTAP itself lives in `extensions`: let the role reach it, rolled back)
SELECT tests.clear_authentication();
DO $$ BEGIN GRANT USAGE ON SCHEMA extensions TO integration_worker; END $$;
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT count(*) FROM public.sync_run_log$$, '42501', NULL, 'integration_worker cannot read the table');
SELECT throws_ok($$SELECT * FROM public.get_last_run_per_integration('aaaaaaaa-0000-0000-0000-000000000001')$$,
  '42501', NULL, 'integration_worker cannot execute the read RPCs');
SELECT throws_ok($$SELECT public.update_run_log_status('10000000-0000-0000-0000-000000000003', 'failed', 0, 0, NULL)$$,
  '42501', NULL, 'integration_worker cannot execute update_run_log_status');
SELECT throws_ok($$SELECT integration_ops.finish_sync_run('10000000-0000-0000-0000-000000000003', 'failed', 0, 0, NULL, NULL)$$,
  '42501', NULL, 'integration_worker cannot execute the internal finish_sync_run');

-- Archival -----------------------------------------------------------------------------------
SELECT tests.clear_authentication();
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, started_at, ended_at) VALUES
    ('30000000-0000-0000-0000-000000000091', 'dddddddd-0000-0000-0000-000000000004', 'xledger', 'completed', 'scheduler', now() - interval '91 days', now() - interval '91 days'),
    ('30000000-0000-0000-0000-000000000089', 'dddddddd-0000-0000-0000-000000000004', 'xledger', 'failed', 'scheduler', now() - interval '89 days', now() - interval '89 days'),
    ('30000000-0000-0000-0000-000000000092', 'dddddddd-0000-0000-0000-000000000004', 'bufdir', 'cancelled', 'manual', now() - interval '92 days', now() - interval '92 days'),
    ('30000000-0000-0000-0000-000000000093', 'dddddddd-0000-0000-0000-000000000004', 'bufdir', 'completed', 'manual', now() - interval '93 days', now() - interval '93 days'),
    ('30000000-0000-0000-0000-000000000094', 'dddddddd-0000-0000-0000-000000000004', 'dynamics', 'completed', 'manual', now() - interval '94 days', now() - interval '94 days');
  -- an active run started long ago is never archived
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, started_at)
  VALUES ('30000000-0000-0000-0000-000000000100', 'dddddddd-0000-0000-0000-000000000004', 'xledger', 'running', 'scheduler', now() - interval '100 days');
  UPDATE integration_ops.settings SET archive_batch_size = 2;
END
$$;
SELECT is(integration_ops.archive_sync_run_log(), 2, 'one archival call moves one batch (archive_batch_size = 2)');
SELECT is(integration_ops.archive_sync_run_log(), 2, 'the next call moves the next batch: the 4 finished runs older than 90 days');
SELECT set_eq($$SELECT id FROM integration_ops.sync_run_log_archive$$,
  ARRAY['30000000-0000-0000-0000-000000000091', '30000000-0000-0000-0000-000000000092',
        '30000000-0000-0000-0000-000000000093', '30000000-0000-0000-0000-000000000094']::uuid[],
  'the 91-day-old run (and older) are in the archive');
SELECT ok(NOT EXISTS (SELECT FROM public.sync_run_log WHERE id = '30000000-0000-0000-0000-000000000091'),
  'the 91-day-old run left sync_run_log');
SELECT ok(EXISTS (SELECT FROM public.sync_run_log WHERE id = '30000000-0000-0000-0000-000000000089'),
  'the 89-day-old run stays');
SELECT ok(EXISTS (SELECT FROM public.sync_run_log WHERE id = '30000000-0000-0000-0000-000000000100'),
  'an unfinished run is never archived');
SELECT results_eq(
  $$SELECT status, duration_seconds FROM integration_ops.sync_run_log_archive WHERE id = '30000000-0000-0000-0000-000000000091'$$,
  $$VALUES ('completed'::text, 0::numeric)$$,
  'archived rows keep their values');
SELECT is(integration_ops.archive_sync_run_log(), 0, 'archival again moves nothing');
DO $$
BEGIN
  UPDATE integration_ops.settings SET run_log_retention = interval '88 days';
END
$$;
SELECT is(integration_ops.archive_sync_run_log(), 1, 'the retention comes from settings');
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$SELECT integration_ops.archive_sync_run_log()$$, 'service_role may run the archival');
SELECT tests.authenticate_as_worker();
SELECT lives_ok($$SELECT integration_ops.archive_sync_run_log()$$, 'integration_worker may run the archival');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT throws_ok($$SELECT integration_ops.archive_sync_run_log()$$, '42501', NULL, 'authenticated may not run the archival');
SELECT throws_ok($$SELECT count(*) FROM integration_ops.sync_run_log_archive$$, '42501', NULL, 'authenticated cannot read the archive');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM cron.job WHERE jobname = 'integration_archive_sync_run_log'), 1,
  'the daily archival job is registered once');

SELECT * FROM finish();
ROLLBACK;
