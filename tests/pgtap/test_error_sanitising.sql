-- Sanitising on every write path (issue 14, DESIGN §6, §12): triggers on every table that
-- stores error text, whoever writes. The sanitiser's own cases are in
-- tests/cases/sanitize.json (tests/test_sanitize.py).
BEGIN;
SELECT plan(19);

SELECT set_eq($$SELECT t.tgrelid::regclass::text || ':' || t.tgname FROM pg_trigger t
                 WHERE NOT t.tgisinternal AND t.tgname LIKE '%sanitize'$$,
  ARRAY['sync_run_log:sync_run_log_sanitize',
        'integration_ops.sync_run_log_archive:sync_run_log_archive_sanitize',
        'integration_health_status:integration_health_status_sanitize',
        'integration_health_history:integration_health_history_sanitize'],
  'every table that stores error text has a sanitising trigger');

-- sync_run_log: service_role INSERT and UPDATE -----------------------------------------------
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, error_message)
                  VALUES ('11111111-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001',
                          'xledger', 'running', 'manual', 'connecting to postgres://app:hunter2@db/prod')$$,
  'service_role inserts a run with a DSN in error_message');
SELECT is((SELECT error_message FROM public.sync_run_log WHERE id = '11111111-0000-0000-0000-000000000001'),
  'connecting to postgres://[redacted]@db/prod', 'an INSERT stores it redacted');
SELECT lives_ok($$UPDATE public.sync_run_log SET error_message = 'retrying redis://:pw@cache:6379 with password=''a b'''
                   WHERE id = '11111111-0000-0000-0000-000000000001'$$,
  'service_role updates the message');
SELECT is((SELECT error_message FROM public.sync_run_log WHERE id = '11111111-0000-0000-0000-000000000001'),
  'retrying redis://[redacted]@cache:6379 with password=''[redacted]''', 'an UPDATE stores it redacted (0.2 forms)');
-- (words: a one-word head is dropped whole since 0.3, tests/cases/sanitize.json)
SELECT lives_ok($$UPDATE public.sync_run_log SET error_message = repeat('word ', 200000)
                   WHERE id = '11111111-0000-0000-0000-000000000001'$$,
  'a 1 MB message is accepted (cut, not refused by the 2000-character check)');
SELECT is((SELECT length(error_message) FROM public.sync_run_log WHERE id = '11111111-0000-0000-0000-000000000001'),
  2000, '... and stored cut to 2000 characters');
SELECT lives_ok($$UPDATE public.sync_run_log SET error_message = NULL
                   WHERE id = '11111111-0000-0000-0000-000000000001'$$, 'NULL clears the message');
SELECT is((SELECT error_message FROM public.sync_run_log WHERE id = '11111111-0000-0000-0000-000000000001'),
  NULL, '... and stays NULL');
SELECT tests.clear_authentication();

-- The reaper's message carries the worker-supplied worker_id ------------------------------------
-- (0.3: a worker id has no space, but : / @ are allowed, so it can still hold a URL with a password)
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at)
  VALUES ('11111111-0000-0000-0000-000000000002', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'running',
          'scheduler', 'w-1/postgres://app:hunter2@db/prod', now() - interval '1 day');
  PERFORM integration_ops.reap_stale_sync_runs();
END
$$;
SELECT results_eq(
  $$SELECT status, error_code, error_message !~ 'hunter2', error_message ~ 'redacted' FROM public.sync_run_log
     WHERE id = '11111111-0000-0000-0000-000000000002'$$,
  $$VALUES ('failed'::text, 'worker_lost'::text, true, true)$$,
  'the reaper''s message built from a worker_id is sanitised');

-- The archive and the health tables ------------------------------------------------------------
DO $$
BEGIN
  INSERT INTO integration_ops.sync_run_log_archive (id, org_id, integration_type, status, triggered_by, created_at,
                                                    started_at, records_processed, records_failed, error_message)
  VALUES ('11111111-0000-0000-0000-000000000003', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'failed',
          'manual', now(), now(), 0, 0, 'Authorization: Basic dXNlcjpwYXNz');
  INSERT INTO public.integration_health_history (org_id, integration_type, status, checked_at, error_message)
  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'degraded', now(), 'X-API-Key: 12345abcde');
END
$$;
SELECT is((SELECT error_message FROM integration_ops.sync_run_log_archive WHERE id = '11111111-0000-0000-0000-000000000003'),
  'Authorization: Basic [redacted]', 'an archive row is stored redacted');
SELECT is((SELECT error_message FROM public.integration_health_history WHERE error_message LIKE 'X-API-Key%'),
  'X-API-Key: [redacted]', 'a history row written directly is stored redacted');
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at, error_message)
                  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'dynamics', 'unreachable', now(),
                          '{''password'': ''hunter2'', ''host'': ''db''}')$$,
  'service_role writes a health status with a Python dict repr');
SELECT tests.clear_authentication();
SELECT is((SELECT error_message FROM public.integration_health_status
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'dynamics'),
  '{''password'': ''[redacted]'', ''host'': ''db''}', 'the status row is stored redacted');
SELECT is((SELECT error_message FROM public.integration_health_history
            WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'dynamics'),
  '{''password'': ''[redacted]'', ''host'': ''db''}', 'and so is its copy in the history');
SELECT is(integration_ops.sanitize_error_text(NULL), NULL, 'NULL in, NULL out');
SELECT is(integration_ops.sanitize_error_text('Traceback (most recent call last):'), '',
  'a lone stack-trace line leaves nothing');
SELECT is(integration_ops.sanitize_error_text(E'Traceback (most recent call last):\n'
            || repeat(E'  File "x.py", line 1, in f\n    f()\n', 2000)
            || 'RecursionError: maximum recursion depth exceeded (password=hunter2)'),
  E'[...]\n    f()\nRecursionError: maximum recursion depth exceeded (password=[redacted]',
  'a 76 kB traceback keeps its last line, sanitised');
SELECT is(integration_ops.sanitize_error_text(integration_ops.sanitize_error_text('token: abc password="x"')),
  integration_ops.sanitize_error_text('token: abc password="x"'), 'sanitising twice changes nothing');

SELECT * FROM finish();
ROLLBACK;
