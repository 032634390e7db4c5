-- Batched reports (issue 16): integration_ops.finish_sync_runs(worker_id, reports) applies
-- each report through complete_sync_run / fail_sync_run on its own; refusals are answered
-- per report with their DESIGN §6 code and change nothing; whole-call errors write nothing.
BEGIN;
SELECT plan(18);

DO $$
DECLARE
  v_org uuid := 'abababab-0000-0000-0000-0000000000f1';
BEGIN
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP's schema, this test only
  PERFORM tests.seed_two_orgs();
  PERFORM tests.add_integration(v_org, 'xledger');
  PERFORM tests.add_integration(v_org, 'dynamics');
  PERFORM tests.add_integration(v_org, 'bufdir');
  PERFORM tests.add_integration('abababab-0000-0000-0000-0000000000f2', 'xledger');
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by)
  VALUES ('f1000000-0000-0000-0000-000000000001', v_org, 'xledger', 'pending', 'manual'),
         ('f1000000-0000-0000-0000-000000000002', v_org, 'dynamics', 'pending', 'manual'),
         ('f1000000-0000-0000-0000-000000000003', v_org, 'bufdir', 'pending', 'manual'),
         ('f1000000-0000-0000-0000-000000000004', 'abababab-0000-0000-0000-0000000000f2', 'xledger', 'pending', 'manual');
  UPDATE public.sync_run_log
     SET status = 'running', started_at = now(), heartbeat_at = now(),
         worker_id = CASE WHEN id = 'f1000000-0000-0000-0000-000000000004' THEN 'w2' ELSE 'w1' END
   WHERE id::text LIKE 'f1000000-%';
END
$$;

-- Roles ---------------------------------------------------------------------------------
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001', 'org_admin');
SELECT throws_ok($$SELECT * FROM integration_ops.finish_sync_runs('w1', '[]')$$, '42501', NULL,
  'authenticated may not call finish_sync_runs');
SELECT tests.clear_authentication();
SELECT ok(NOT has_function_privilege('anon', 'integration_ops.finish_sync_runs(text, jsonb)', 'execute'),
  'anon may not call finish_sync_runs');

-- Whole-call errors write nothing ----------------------------------------------------------
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT * FROM integration_ops.finish_sync_runs(NULL,
    '[{"run_id": "f1000000-0000-0000-0000-000000000001", "status": "completed", "records_processed": 1, "records_failed": 0}]')$$,
  'PT400', 'invalid_argument', 'worker_id is required');
SELECT throws_ok($$SELECT * FROM integration_ops.finish_sync_runs('w1',
    '{"run_id": "f1000000-0000-0000-0000-000000000001", "status": "completed"}')$$,
  'PT400', 'invalid_argument', 'reports must be an array');
SELECT throws_ok($$SELECT * FROM integration_ops.finish_sync_runs('w1', '[]')$$,
  'PT400', 'invalid_argument', 'an empty batch is refused');
SELECT throws_ok($$SELECT * FROM integration_ops.finish_sync_runs('w1',
    (SELECT jsonb_agg(jsonb_build_object('run_id', 'f1000000-0000-0000-0000-000000000001', 'status', 'failed',
                                         'error_code', 'timeout')) FROM generate_series(1, 51)))$$,
  'PT400', 'invalid_argument', 'more than 50 reports are refused');
SELECT tests.clear_authentication();
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE id::text LIKE 'f1000000-%' AND status = 'running'), 4,
  'the refused calls changed no run');

-- One batch: applied, refused and repeated reports ------------------------------------------
SELECT tests.authenticate_as_worker();
CREATE TEMP TABLE answer ON COMMIT DROP AS
SELECT row_number() OVER () AS n, a.* FROM integration_ops.finish_sync_runs('w1', $$[
  {"run_id": "f1000000-0000-0000-0000-000000000001", "status": "completed", "records_processed": 7, "records_failed": 1},
  {"run_id": "f1000000-0000-0000-0000-000000000002", "status": "failed", "error_code": "http_503", "error_message": "upstream said token=abc123"},
  {"run_id": "f1000000-0000-0000-0000-000000000004", "status": "completed", "records_processed": 1, "records_failed": 0},
  {"run_id": "f1000000-0000-0000-0000-0000000000ff", "status": "completed", "records_processed": 1, "records_failed": 0},
  {"run_id": "not-a-uuid", "status": "completed", "records_processed": 1, "records_failed": 0},
  {"run_id": "f1000000-0000-0000-0000-000000000003", "status": "completed", "records_processed": -1, "records_failed": 0},
  {"run_id": "f1000000-0000-0000-0000-000000000003", "status": "completed", "records_processed": "many", "records_failed": 0},
  {"run_id": "f1000000-0000-0000-0000-000000000003", "status": "done"},
  "f1000000-0000-0000-0000-000000000003",
  {"run_id": "f1000000-0000-0000-0000-000000000001", "status": "completed", "records_processed": 7, "records_failed": 1},
  {"run_id": "f1000000-0000-0000-0000-000000000001", "status": "failed", "error_code": "timeout"}
]$$::jsonb) AS a;
SELECT tests.clear_authentication();

SELECT results_eq($$SELECT n::int, status, refused_with FROM answer WHERE n <= 2 ORDER BY n$$,
  $$VALUES (1, 'completed', NULL::text), (2, 'failed', NULL::text)$$,
  'a completed and a failed report are applied, one answer row each, in order');
SELECT results_eq(
  $$SELECT status, records_processed, records_failed, error_code, ended_at IS NOT NULL FROM public.sync_run_log
     WHERE id IN ('f1000000-0000-0000-0000-000000000001', 'f1000000-0000-0000-0000-000000000002') ORDER BY id$$,
  $$VALUES ('completed'::text, 7, 1, NULL::text, true), ('failed'::text, 0, 0, 'http_503'::text, true)$$,
  'the applied reports went through the finish path (counts, error code, ended_at)');
SELECT is((SELECT error_message FROM public.sync_run_log WHERE id = 'f1000000-0000-0000-0000-000000000002'),
  'upstream said token=[redacted]', 'the stored error message is sanitised');
SELECT results_eq($$SELECT status, refused_with FROM answer WHERE n = 3$$,
  $$VALUES ('running'::text, 'invalid_transition'::text)$$,
  'another worker''s run is refused with invalid_transition and keeps running');
SELECT is((SELECT status FROM public.sync_run_log WHERE id = 'f1000000-0000-0000-0000-000000000004'), 'running',
  'the other worker''s run is untouched');
SELECT results_eq($$SELECT run_id, status, refused_with FROM answer WHERE n = 4$$,
  $$VALUES ('f1000000-0000-0000-0000-0000000000ff'::uuid, NULL::text, 'run_not_found'::text)$$,
  'an unknown run is run_not_found');
SELECT results_eq($$SELECT run_id, refused_with FROM answer WHERE n IN (5, 9) ORDER BY n$$,
  $$VALUES (NULL::uuid, 'invalid_argument'::text), (NULL::uuid, 'invalid_argument'::text)$$,
  'a run_id that is not a uuid, and a report that is not an object, are invalid_argument');
SELECT results_eq($$SELECT status, refused_with FROM answer WHERE n IN (6, 7, 8) ORDER BY n$$,
  $$VALUES ('running'::text, 'invalid_argument'::text), ('running'::text, 'invalid_argument'::text),
           ('running'::text, 'invalid_argument'::text)$$,
  'a negative count, a count that is not an integer and an unknown status are invalid_argument');
SELECT is((SELECT status FROM public.sync_run_log WHERE id = 'f1000000-0000-0000-0000-000000000003'), 'running',
  'the refused reports changed nothing');
SELECT results_eq($$SELECT status, refused_with FROM answer WHERE n = 10$$,
  $$VALUES ('completed'::text, NULL::text)$$,
  'the same report again is answered like the first (a retry after a lost connection)');
SELECT results_eq($$SELECT status, refused_with FROM answer WHERE n = 11$$,
  $$VALUES ('completed'::text, 'invalid_transition'::text)$$,
  'a different outcome for a finished run is invalid_transition');

SELECT * FROM finish();
ROLLBACK;
