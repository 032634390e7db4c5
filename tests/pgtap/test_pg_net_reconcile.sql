-- The pg_net reconcile's watermark (0.3, issue 24): reconcile_pg_net_responses reads only
-- responses created since the oldest running pg_net run (a range of pg_net's `created`
-- index; pg_net does not index `id` and keeps six hours of responses). Responses that arrive
-- out of order are each applied once; a response older than the watermark (an id pg_net
-- used again after its sequence restarted) is ignored; a response pg_net's TTL removed leaves
-- its run to the stale reaper; no running pg_net run: nothing is read. Against the pg_net
-- stand-in (tests.install_pg_net_standin) or the real pg_net.
BEGIN;
SELECT plan(10);

DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false;  -- every other pair: rolled back
  DELETE FROM public.sync_run_log WHERE status = 'running' AND net_request_id IS NOT NULL;
  PERFORM tests.install_pg_net_standin();
  PERFORM tests.add_integration('7e000000-0000-4000-8000-00000000000a', 'xledger', NULL, 'http://127.0.0.1:9/a');
  PERFORM tests.add_integration('7e000000-0000-4000-8000-00000000000b', 'xledger', NULL, 'http://127.0.0.1:9/b');
  PERFORM tests.add_integration('7e000000-0000-4000-8000-00000000000c', 'xledger', NULL, 'http://127.0.0.1:9/c');
  PERFORM tests.add_integration('7e000000-0000-4000-8000-00000000000d', 'xledger', NULL, 'http://127.0.0.1:9/d');
  UPDATE public.organization_integrations SET delivery = 'pg_net'
   WHERE org_id::text LIKE '7e000000-%';
  -- four running pg_net runs, sent 10, 5, 1 and 2 minutes ago (request ids 9001..9004)
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by)
  SELECT ('7e100000-0000-4000-8000-00000000000' || s)::uuid, ('7e000000-0000-4000-8000-00000000000' || s)::uuid,
         'xledger', 'pending', 'manual'
    FROM unnest(ARRAY['a', 'b', 'c', 'd']) AS s;
  UPDATE public.sync_run_log AS r
     SET status = 'running', started_at = now() - v.ago, net_request_id = v.req
    FROM (VALUES ('a', interval '10 minutes', 9001), ('b', interval '5 minutes', 9002),
                 ('c', interval '1 minute', 9003), ('d', interval '2 minutes', 9004)) AS v (s, ago, req)
   WHERE r.id = ('7e100000-0000-4000-8000-00000000000' || v.s)::uuid;
END
$$;
CREATE TEMP VIEW reconcile_runs AS
  SELECT right(r.id::text, 1) AS name, r.status, r.records_processed
    FROM public.sync_run_log AS r WHERE r.id::text LIKE '7e100000-%';
CREATE FUNCTION pg_temp.respond(p_request bigint, p_created timestamptz) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO net._http_response (id, status_code, headers, content, timed_out, created)
  VALUES (p_request, 200, '{}', '{"records_processed": 3, "records_failed": 0}', false, p_created)
$$;

-- Out of order: b's and c's answers are there, a's (sent first) is not yet ----------------
DO $$ BEGIN PERFORM pg_temp.respond(9002, now() - interval '4 minutes'); END $$;
DO $$ BEGIN PERFORM pg_temp.respond(9003, now() - interval '30 seconds'); END $$;
SELECT is(integration_ops.reconcile_pg_net_responses(), 2, 'the two answers present are applied');
SELECT results_eq($$SELECT name, status FROM reconcile_runs ORDER BY name$$,
  $$VALUES ('a', 'running'), ('b', 'completed'), ('c', 'completed'), ('d', 'running')$$,
  'b and c completed; a and d wait for theirs');
SELECT is((SELECT sum(records_processed)::int FROM reconcile_runs WHERE status = 'completed'), 6,
  'with the answers'' counts');

-- Older than the watermark: an id pg_net used again after its sequence restarted --------
DO $$ BEGIN PERFORM pg_temp.respond(9001, now() - interval '2 hours'); END $$;
SELECT is(integration_ops.reconcile_pg_net_responses(), 0,
  'a response created before the oldest running run was sent is never read');
SELECT is((SELECT status FROM reconcile_runs WHERE name = 'a'), 'running', 'a still waits for its own answer');

-- a's own answer arrives after b's and c's ------------------------------------------------
DO $$ BEGIN PERFORM pg_temp.respond(9001, now() - interval '10 seconds'); END $$;
SELECT is(integration_ops.reconcile_pg_net_responses(), 1, 'the late answer is applied');
SELECT is((SELECT status FROM reconcile_runs WHERE name = 'a'), 'completed', 'a completed, once');

-- d's answer expired (pg_net's TTL deleted it): the stale reaper's business --------------
SELECT is(integration_ops.reconcile_pg_net_responses(), 0, 'nothing left to apply: 0, no error');
SELECT is((SELECT status FROM reconcile_runs WHERE name = 'd'), 'running',
  'a run whose response is gone stays running for the reaper');

-- No running pg_net run: nothing is read ------------------------------------------------
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'failed', error_code = 'worker_lost', ended_at = now()
   WHERE id = '7e100000-0000-4000-8000-00000000000d';
  PERFORM pg_temp.respond(9004, now());
END
$$;
SELECT is(integration_ops.reconcile_pg_net_responses(), 0,
  'without a running pg_net run the response table is not read (an answer after the reaper: ignored)');

SELECT * FROM finish();
ROLLBACK;
