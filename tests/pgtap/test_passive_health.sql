-- Passive health mode (DESIGN §9): pairs with health_mode = 'passive' are never probed;
-- their status follows sync outcomes, through the same engine functions the worker calls.
BEGIN;
SELECT plan(12);

DO $$
BEGIN
  -- pgTAP lives in `extensions`; let the worker role reach it inside this transaction.
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-00000000000c', 'xledger');
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-00000000000c', 'dynamics');
  PERFORM tests.add_integration('cccccccc-0000-0000-0000-00000000000c', 'bufdir');
  UPDATE public.organization_integrations SET health_mode = 'passive'
   WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type IN ('xledger', 'bufdir');
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at)
  VALUES ('11111111-0000-0000-0000-000000000001', 'cccccccc-0000-0000-0000-00000000000c', 'xledger', 'running', 'manual', 'w1', now()),
         ('11111111-0000-0000-0000-000000000002', 'cccccccc-0000-0000-0000-00000000000c', 'dynamics', 'running', 'manual', 'w1', now()),
         ('11111111-0000-0000-0000-000000000003', 'cccccccc-0000-0000-0000-00000000000c', 'bufdir', 'running', 'manual', 'w1', now() - interval '2 hours');
END
$$;

SELECT is_empty($$SELECT 1 FROM integration_ops.claim_health_checks('probe', 100)
                   WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type IN ('xledger', 'bufdir')$$,
  'passive pairs are never handed to the prober');

SELECT tests.authenticate_as_worker();
SELECT lives_ok($$SELECT integration_ops.complete_sync_run('11111111-0000-0000-0000-000000000001', 12, 0)$$,
  'the worker completes a passive pair''s run');
SELECT lives_ok($$SELECT integration_ops.complete_sync_run('11111111-0000-0000-0000-000000000002', 5, 0)$$,
  'the worker completes an active pair''s run');
SELECT tests.clear_authentication();

SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  'healthy', 'a completed sync marks the passive pair healthy');
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  1, 'and writes one history row through the trigger');
SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'dynamics'),
  NULL, 'a sync outcome never sets an active pair''s status');

-- A failed sync: degraded, with the sanitised message.
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at)
  VALUES ('11111111-0000-0000-0000-000000000004', 'cccccccc-0000-0000-0000-00000000000c', 'xledger', 'running', 'manual', 'w1', now());
END
$$;
SELECT tests.authenticate_as_worker();
SELECT lives_ok($$SELECT integration_ops.fail_sync_run('11111111-0000-0000-0000-000000000004', 'http_500',
  'vendor said no; password=hunter2')$$, 'the worker fails a passive pair''s run');
SELECT tests.clear_authentication();
SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  'degraded', 'a failed sync marks the passive pair degraded');
SELECT ok((SELECT error_message NOT LIKE '%hunter2%' FROM public.integration_health_status
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  'the stored health message is sanitised');
SELECT is((SELECT count(*)::int FROM public.integration_health_history
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  2, 'each outcome is a history row');

-- A run lost by its worker: the reaper fails it, the passive pair turns degraded.
DO $$
BEGIN
  UPDATE integration_ops.settings SET stale_run_timeout = '1 hour';
END
$$;
SELECT ok(integration_ops.reap_stale_sync_runs() >= 1, 'the reaper fails the silent run');
SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'cccccccc-0000-0000-0000-00000000000c' AND integration_type = 'bufdir'),
  'degraded', 'a reaped run marks the passive pair degraded');

SELECT * FROM finish();
ROLLBACK;
