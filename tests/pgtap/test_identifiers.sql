-- Identifiers validated where they are stored (issue 21, DESIGN §13): a worker_id and an
-- error_code are shown to coordinators, so one rule each decides what may be stored,
-- integration_ops.is_worker_id(text) and integration_ops.is_error_code(text); CHECK
-- constraints (added NOT VALID: rows written before 0.3 may predate them) hold every column
-- that stores one, whoever writes; and every RPC that takes one from a caller refuses a bad
-- one with invalid_argument (PT400) before anything is written (never a raw 23514).
-- Rows that predate the checks: tests/test_identifier_checks.py.
BEGIN;
SELECT plan(33);

DO $$
BEGIN
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP for the worker role; rolled back
  PERFORM tests.seed_two_orgs();  -- A: xledger, bufdir; B: dynamics
  -- Three running runs claimed by w-1, on three pairs.
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by)
  VALUES ('1d000000-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'pending', 'scheduler'),
         ('1d000000-0000-0000-0000-000000000002', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'pending', 'scheduler'),
         ('1d000000-0000-0000-0000-000000000003', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'pending', 'scheduler');
  UPDATE public.sync_run_log
     SET status = 'running', started_at = now(), heartbeat_at = now() - interval '1 minute', worker_id = 'w-1'
   WHERE id::text LIKE '1d000000-%';
  -- A health check of (A, xledger) is due.
  UPDATE public.integration_health_status SET next_check_at = now() - interval '1 minute', claimed_by = NULL
   WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger';
END
$$;

-- 1. The two rules ----------------------------------------------------------------------------
SELECT ok((SELECT p.provolatile = 'i' AND NOT p.prosecdef AND p.prorettype = 'boolean'::regtype
                  AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']
             FROM pg_proc AS p WHERE p.oid = 'integration_ops.is_worker_id(text)'::regprocedure)
          AND NOT has_function_privilege('anon', 'integration_ops.is_worker_id(text)', 'execute')
          AND NOT has_function_privilege('authenticated', 'integration_ops.is_worker_id(text)', 'execute')
          AND NOT has_function_privilege('integration_worker', 'integration_ops.is_worker_id(text)', 'execute')
          AND has_function_privilege('service_role', 'integration_ops.is_worker_id(text)', 'execute'),
  'is_worker_id: IMMUTABLE invoker boolean, search_path pinned; service_role only (its direct writes run the checks)');
SELECT ok((SELECT p.provolatile = 'i' AND NOT p.prosecdef AND p.prorettype = 'boolean'::regtype
                  AND p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp']
             FROM pg_proc AS p WHERE p.oid = 'integration_ops.is_error_code(text)'::regprocedure)
          AND NOT has_function_privilege('anon', 'integration_ops.is_error_code(text)', 'execute')
          AND NOT has_function_privilege('authenticated', 'integration_ops.is_error_code(text)', 'execute')
          AND NOT has_function_privilege('integration_worker', 'integration_ops.is_error_code(text)', 'execute')
          AND has_function_privilege('service_role', 'integration_ops.is_error_code(text)', 'execute'),
  'is_error_code: IMMUTABLE invoker boolean, search_path pinned; service_role only (its direct writes run the checks)');
SELECT is_empty($$
  SELECT v FROM unnest(ARRAY['w-1', 'w-0.1', 'pg_net', 'host-1:4242', 'ip-10-0-0-1.eu-north-1.compute.internal:12345',
                             'worker@host/1+a', 'W', repeat('a', 100)]) AS v
   WHERE integration_ops.is_worker_id(v) IS NOT TRUE$$,
  'worker ids as the worker and pg_net write them are accepted (host:pid, pg_net, up to 100 characters)');
SELECT is_empty($$
  SELECT v FROM unnest(ARRAY['host-1 password=hunter2', '', ' w-1', 'w-1 ', '-w', '.w', 'w=1', E'w\n1', 'wörker',
                             'w"1', 'w''1', 'w;1', repeat('a', 101), NULL]) AS v
   WHERE integration_ops.is_worker_id(v) IS NOT FALSE$$,
  'spaces, =, quotes, line breaks, non-ASCII, a leading sign, over 100 characters and NULL are not worker ids');
SELECT is_empty($$
  SELECT v FROM unnest(ARRAY['timeout', 'connection_error', 'http_503', 'invalid_response', 'worker_lost',
                             'integration_disabled', 'integration_removed', 'catch_up_limit', 'pg_net_unavailable',
                             'delivery_error', 'no_endpoint', 'x', repeat('a', 64)]) AS v
   WHERE integration_ops.is_error_code(v) IS NOT TRUE$$,
  'the codes the package writes are error codes (up to 64 characters)');
SELECT is_empty($$
  SELECT v FROM unnest(ARRAY['host-1 password=hunter2', '', 'Timeout', 'http-503', 'HTTP_503', '1xx', '_x', 'x y',
                             E'x\n', 'ä', repeat('a', 65), NULL]) AS v
   WHERE integration_ops.is_error_code(v) IS NOT FALSE$$,
  'upper case, dashes, spaces, a leading digit or underscore, over 64 characters and NULL are not error codes');

-- 2. The columns hold them, whoever writes -----------------------------------------------------
SELECT set_eq($$
  SELECT c.conrelid::regclass::text || '.' || c.conname FROM pg_constraint AS c
   WHERE c.contype = 'c'
     AND (pg_get_constraintdef(c.oid) LIKE '%integration_ops.is_worker_id(%'
          OR pg_get_constraintdef(c.oid) LIKE '%integration_ops.is_error_code(%')$$,
  ARRAY['sync_run_log.sync_run_log_worker_id_format', 'sync_run_log.sync_run_log_error_code_format',
        'integration_ops.sync_run_log_archive.sync_run_log_archive_worker_id_format',
        'integration_ops.sync_run_log_archive.sync_run_log_archive_error_code_format',
        'integration_health_status.integration_health_status_claimed_by_format',
        'integration_ops.integration_warmups.integration_warmups_claimed_by_format'],
  'every column that stores a worker id or an error code has its check');
SELECT throws_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, ended_at, worker_id)
                   VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'completed', 'manual', now(),
                           'host-1 password=hunter2')$$,
  '23514', NULL, 'sync_run_log refuses a bad worker_id');
SELECT throws_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, ended_at, error_code)
                   VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'failed', 'manual', now(),
                           'host-1 password=hunter2')$$,
  '23514', NULL, 'sync_run_log refuses a bad error_code');
SELECT throws_ok($$UPDATE public.sync_run_log SET worker_id = 'host-1 password=hunter2'
                    WHERE id = '1d000000-0000-0000-0000-000000000001'$$,
  '23514', NULL, 'an UPDATE is checked too');
SELECT throws_ok($$INSERT INTO integration_ops.sync_run_log_archive (id, org_id, integration_type, status, triggered_by,
                     created_at, started_at, records_processed, records_failed, worker_id)
                   VALUES (gen_random_uuid(), 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'completed', 'manual',
                           now(), now(), 0, 0, 'host-1 password=hunter2')$$,
  '23514', NULL, 'the archive refuses a bad worker_id');
SELECT throws_ok($$INSERT INTO integration_ops.sync_run_log_archive (id, org_id, integration_type, status, triggered_by,
                     created_at, started_at, records_processed, records_failed, error_code)
                   VALUES (gen_random_uuid(), 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'failed', 'manual',
                           now(), now(), 0, 0, 'Host 1')$$,
  '23514', NULL, 'the archive refuses a bad error_code');
SELECT throws_ok($$UPDATE public.integration_health_status SET claimed_by = 'host-1 password=hunter2'
                    WHERE org_id = 'aaaaaaaa-0000-0000-0000-000000000001' AND integration_type = 'xledger'$$,
  '23514', NULL, 'integration_health_status refuses a bad claimed_by');
SELECT throws_ok($$INSERT INTO integration_ops.integration_warmups (org_id, integration_type, claimed_by)
                   VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'host-1 password=hunter2')$$,
  '23514', NULL, 'integration_warmups refuses a bad claimed_by');
SELECT tests.authenticate_as_service_role();
SELECT lives_ok($$INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, ended_at, worker_id, error_code)
                  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'failed', 'manual', now(), 'w-9', 'http_500')$$,
  'service_role still writes sync_run_log directly with a good worker_id and error_code');
SELECT lives_ok($$UPDATE public.integration_health_status SET claimed_by = 'w-9'
                   WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'dynamics'$$,
  'service_role still updates integration_health_status directly');
SELECT tests.clear_authentication();

-- 3. The RPCs that take one from a caller refuse a bad one (as the worker) ----------------------
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM integration_ops.claim_sync_runs('host-1 password=hunter2', 5)$$,
  'PT400', 'invalid_argument', 'claim_sync_runs refuses a bad worker_id');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_health_checks('host-1 password=hunter2', 5)$$,
  'PT400', 'invalid_argument', 'claim_health_checks refuses a bad worker_id (a check is due)');
SELECT throws_ok($$SELECT * FROM integration_ops.claim_warmups('host-1 password=hunter2', 5)$$,
  'PT400', 'invalid_argument', 'claim_warmups refuses a bad worker_id');
SELECT throws_ok($$SELECT integration_ops.heartbeat_sync_runs('host-1 password=hunter2',
                     ARRAY['1d000000-0000-0000-0000-000000000001'::uuid])$$,
  'PT400', 'invalid_argument', 'heartbeat_sync_runs refuses a bad worker_id');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('1d000000-0000-0000-0000-000000000001', 1, 0,
                     worker_id => 'host-1 password=hunter2')$$,
  'PT400', 'invalid_argument', 'complete_sync_run refuses a bad worker_id');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('1d000000-0000-0000-0000-000000000001', 'timeout', 'x',
                     worker_id => 'host-1 password=hunter2')$$,
  'PT400', 'invalid_argument', 'fail_sync_run refuses a bad worker_id');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('1d000000-0000-0000-0000-000000000001',
                     'host-1 password=hunter2', 'x', worker_id => 'w-1')$$,
  'PT400', 'invalid_argument', 'fail_sync_run refuses a bad error_code');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('1d000000-0000-0000-0000-000000000002',
                     repeat('a', 65), 'x', worker_id => 'w-1')$$,
  'PT400', 'invalid_argument', 'fail_sync_run refuses an error_code over 64 characters (never a raw 23514)');
SELECT throws_ok($$SELECT * FROM integration_ops.mark_cold_start('1d000000-0000-0000-0000-000000000001', 'timeout',
                     'host-1 password=hunter2', as_attempt => true)$$,
  'PT400', 'invalid_argument', 'mark_cold_start refuses a bad worker_id');
SELECT throws_ok($$SELECT * FROM integration_ops.mark_cold_start('1d000000-0000-0000-0000-000000000001',
                     'host-1 password=hunter2', 'w-1', as_attempt => true)$$,
  'PT400', 'invalid_argument', 'mark_cold_start refuses a bad error_code');
SELECT throws_ok($$SELECT integration_ops.record_warmup('aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 200,
                     'host-1 password=hunter2')$$,
  'PT400', 'invalid_argument', 'record_warmup refuses a bad worker_id');
SELECT throws_ok($$SELECT * FROM integration_ops.finish_sync_runs('host-1 password=hunter2',
    '[{"run_id": "1d000000-0000-0000-0000-000000000001", "status": "completed", "records_processed": 1, "records_failed": 0}]')$$,
  'PT400', 'invalid_argument', 'finish_sync_runs refuses a bad worker_id');
SELECT results_eq($$SELECT status, refused_with FROM integration_ops.finish_sync_runs('w-1',
    '[{"run_id": "1d000000-0000-0000-0000-000000000001", "status": "failed", "error_code": "host-1 password=hunter2", "error_message": "x"}]')$$,
  $$VALUES ('running'::text, 'invalid_argument'::text)$$,
  'finish_sync_runs refuses a report with a bad error_code (invalid_argument, the run unchanged)');
-- A raw 23514 escaping finish_sync_runs would abort this file: caught here and shown as text.
DO $$
DECLARE
  v_answer text;
BEGIN
  SELECT coalesce(f.status, '-') || ' ' || coalesce(f.refused_with, '-') INTO v_answer
    FROM integration_ops.finish_sync_runs('w-1', jsonb_build_array(jsonb_build_object(
           'run_id', '1d000000-0000-0000-0000-000000000003', 'status', 'failed',
           'error_code', repeat('a', 65), 'error_message', 'x'))) AS f;
  PERFORM set_config('tests.long_code', v_answer, true);
EXCEPTION WHEN OTHERS THEN
  PERFORM set_config('tests.long_code', 'raised ' || SQLSTATE, true);
END
$$;
SELECT is(current_setting('tests.long_code'), 'running invalid_argument',
  'finish_sync_runs refuses a report with an error_code over 64 characters (never a raw 23514)');
SELECT tests.clear_authentication();

-- 4. ... and nothing was written -----------------------------------------------------------
SELECT results_eq($$SELECT id::text, status, worker_id, error_code FROM public.sync_run_log
                     WHERE id::text LIKE '1d000000-%' ORDER BY id$$,
  $$VALUES ('1d000000-0000-0000-0000-000000000001', 'running'::text, 'w-1'::text, NULL::text),
           ('1d000000-0000-0000-0000-000000000002', 'running', 'w-1', NULL),
           ('1d000000-0000-0000-0000-000000000003', 'running', 'w-1', NULL)$$,
  'the runs are still running on w-1, without an error code');
SELECT is((SELECT count(*)::integer FROM public.sync_run_log
            WHERE (worker_id IS NOT NULL AND NOT integration_ops.is_worker_id(worker_id))
               OR (error_code IS NOT NULL AND NOT integration_ops.is_error_code(error_code))),
  0, 'no bad worker_id or error_code was stored in sync_run_log');
SELECT is((SELECT count(*)::integer FROM public.integration_health_status AS h
            WHERE h.claimed_by IS NOT NULL AND NOT integration_ops.is_worker_id(h.claimed_by))
          + (SELECT count(*)::integer FROM integration_ops.integration_warmups AS w
              WHERE w.claimed_by IS NOT NULL AND NOT integration_ops.is_worker_id(w.claimed_by)),
  0, 'no bad claimed_by was stored in the health status or the warm-ups');

SELECT * FROM finish();
ROLLBACK;
