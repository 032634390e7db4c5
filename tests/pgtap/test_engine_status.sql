-- Operations (issue 17): integration_ops.alerts written by refresh_alerts() (open, one per
-- kind and pair, refreshed, resolved when the condition clears, expired after the
-- retention) and public.get_engine_status() (each key; allowed and denied roles).
BEGIN;
SELECT plan(55);

DO $$
BEGIN
  -- This file's world only (rolled back at the end).
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP for the worker role; rolled back
  DELETE FROM integration_ops.alerts;
  DELETE FROM integration_ops.engine_stats;  -- the pg_cron job's snapshot of the real world
  DELETE FROM public.sync_run_log;
  DELETE FROM public.integration_health_status;
  UPDATE public.organization_integrations SET enabled = false;
  PERFORM tests.seed_two_orgs();   -- A: xledger, bufdir; B: dynamics
  -- stale_pending: A/xledger pending for 20 minutes
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at, started_at)
  VALUES ('e0000000-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger',
          'pending', 'manual', now() - interval '20 minutes', now() - interval '20 minutes');
  -- drift: B/dynamics scheduled run started 10 minutes after its period (alert: 5 minutes)
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   scheduled_for, started_at, ended_at, worker_id)
  VALUES ('e0000000-0000-0000-0000-000000000002', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics',
          'completed', 'scheduler', now() - interval '30 minutes', now() - interval '30 minutes',
          now() - interval '20 minutes', now() - interval '19 minutes', 'w-1');
  -- B/dynamics: a manual run in flight on w-1
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   started_at, worker_id, heartbeat_at)
  VALUES ('e0000000-0000-0000-0000-000000000003', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics',
          'running', 'manual', now() - interval '1 minute', now() - interval '1 minute', 'w-1', now());
  -- A/bufdir: three failures in a row, the last one worker_lost
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   started_at, ended_at, error_code, worker_id)
  VALUES ('e0000000-0000-0000-0000-000000000004', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'completed',
          'manual', now() - interval '5 hours', now() - interval '5 hours', now() - interval '5 hours', NULL, 'w-2'),
         ('e0000000-0000-0000-0000-000000000005', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'failed',
          'manual', now() - interval '3 hours', now() - interval '3 hours', now() - interval '3 hours', 'http_500', 'w-2'),
         ('e0000000-0000-0000-0000-000000000006', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'failed',
          'manual', now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours', 'http_500', 'w-2'),
         ('e0000000-0000-0000-0000-000000000007', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'failed',
          'manual', now() - interval '50 minutes', now() - interval '50 minutes', now() - interval '10 minutes',
          'worker_lost', 'w-lost');
  -- B/dynamics health: unreachable five times in a row
  INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at, consecutive_failures)
  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'unreachable', now(), 5)
  ON CONFLICT (org_id, integration_type) DO UPDATE   -- the health schedule's row of the pair
    SET status = EXCLUDED.status, checked_at = EXCLUDED.checked_at,
        consecutive_failures = EXCLUDED.consecutive_failures;
END
$$;

-- refresh_alerts: opening ----------------------------------------------------------------------
SELECT is(integration_ops.refresh_alerts() -> 'opened', '4'::jsonb, 'four conditions open four alerts');
SELECT results_eq(
  $$SELECT kind, org_id::text, integration_type, run_id::text FROM integration_ops.alerts
     WHERE resolved_at IS NULL ORDER BY kind$$,
  $$VALUES ('drift', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'e0000000-0000-0000-0000-000000000002'),
           ('repeated_failures', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'e0000000-0000-0000-0000-000000000007'),
           ('stale_pending', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'e0000000-0000-0000-0000-000000000001'),
           ('worker_lost', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'e0000000-0000-0000-0000-000000000007')$$,
  'drift, repeated_failures, stale_pending and worker_lost are open for their pairs and runs');
SELECT is((SELECT detail -> 'consecutive_failures' FROM integration_ops.alerts WHERE kind = 'repeated_failures'),
  '3'::jsonb, 'repeated_failures counts the consecutive failures');
SELECT is((SELECT (detail ->> 'drift_seconds')::numeric FROM integration_ops.alerts WHERE kind = 'drift'),
  600.000, 'drift records how late the run started');
SELECT is((SELECT detail ->> 'worker_id' FROM integration_ops.alerts WHERE kind = 'worker_lost'),
  'w-lost', 'worker_lost names the lost worker');
SELECT is(integration_ops.refresh_alerts() -> 'opened', '0'::jsonb, 'a second refresh opens nothing new');
SELECT is((SELECT count(*)::int FROM integration_ops.alerts), 4, 'and keeps one row per open condition');
SELECT throws_ok(
  $$INSERT INTO integration_ops.alerts (kind, org_id, integration_type)
    VALUES ('drift', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics')$$,
  '23505', NULL::text, 'at most one open alert per kind and pair');
SELECT is((SELECT count(*)::int FROM integration_ops.alerts WHERE resolved_at IS NULL), 4,
  'nothing resolved while the conditions hold');

-- get_engine_status: each key --------------------------------------------------------------------
SELECT tests.authenticate_as_service_role();
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(public.get_engine_status()) AS k),
  ARRAY['alerts', 'as_of', 'drift_24h', 'failing', 'lagging', 'queue', 'runs_24h', 'workers'],
  'the seven top-level keys (0.3: lagging) and as_of');
SELECT is((public.get_engine_status() ->> 'as_of')::timestamptz, now(),
  'without a snapshot the figures are computed now (as_of = now)');
SELECT is((public.get_engine_status() -> 'queue') - 'oldest_pending_age_seconds'::text,
  '{"pending": 1, "waiting_retries": 0, "running": 1, "stale_pending": 1, "stale_running": 0}'::jsonb, 'queue counts');
SELECT ok((public.get_engine_status() #>> '{queue,oldest_pending_age_seconds}')::numeric BETWEEN 1199 AND 1201,
  'queue: the oldest pending run has waited 20 minutes');
SELECT is(public.get_engine_status() -> 'runs_24h',
  '{"bufdir": {"completed": 1, "failed": 3, "cancelled": 0, "cold_starts": 0, "cold_starts_failed": 0, "skipped": 0, "retries": 0, "retries_exhausted": 0},
    "dynamics": {"completed": 1, "failed": 0, "cancelled": 0, "cold_starts": 0, "cold_starts_failed": 0, "skipped": 0, "retries": 0, "retries_exhausted": 0},
    "xledger": {"completed": 0, "failed": 0, "cancelled": 0, "cold_starts": 0, "cold_starts_failed": 0, "skipped": 0, "retries": 0, "retries_exhausted": 0}}'::jsonb,
  'runs_24h: per type, by end time in the last 24 hours, zeros included');
SELECT is(public.get_engine_status() -> 'drift_24h',
  '{"runs": 1, "p50_seconds": 600.000, "p95_seconds": 600.000, "max_seconds": 600.000,
    "over_alert": 1, "alert_seconds": 300}'::jsonb,
  'drift_24h: percentiles, max and the count over the alert');
SELECT is(public.get_engine_status() -> 'failing',
  '[{"org_id": "bbbbbbbb-0000-0000-0000-000000000002", "integration_type": "dynamics", "health_status": "unreachable",
     "health_consecutive_failures": 5, "consecutive_run_failures": null, "last_error_code": null},
    {"org_id": "aaaaaaaa-0000-0000-0000-000000000001", "integration_type": "bufdir", "health_status": null,
     "health_consecutive_failures": null, "consecutive_run_failures": 3, "last_error_code": "worker_lost"}]'::jsonb,
  'failing: the pair with repeated failures and the unreachable one, most consecutive failures first');
SELECT is((SELECT jsonb_agg(w - 'last_heartbeat' - 'last_seen') FROM jsonb_array_elements(public.get_engine_status() -> 'workers') AS w),
  '[{"worker_id": "w-1", "runs_in_flight": 1}, {"worker_id": "w-lost", "runs_in_flight": 0}]'::jsonb,
  'workers: running now or seen in the last hour, with runs in flight');
SELECT ok((SELECT (w ->> 'last_heartbeat') IS NOT NULL FROM jsonb_array_elements(public.get_engine_status() -> 'workers') AS w
            WHERE w ->> 'worker_id' = 'w-1'), 'workers: the last heartbeat is reported');
SELECT is(jsonb_array_length(public.get_engine_status() -> 'alerts'), 4, 'alerts: the open alerts');
SELECT is((SELECT array_agg(a ->> 'kind' ORDER BY a ->> 'kind') FROM jsonb_array_elements(public.get_engine_status() -> 'alerts') AS a),
  ARRAY['drift', 'repeated_failures', 'stale_pending', 'worker_lost'], 'alerts: with their kinds');
SELECT tests.clear_authentication();

-- get_engine_status: who may call it -------------------------------------------------------------
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT lives_ok($$SELECT public.get_engine_status()$$, 'a global admin may read the engine status');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('alice_admin', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.get_engine_status()$$, 'PT403', 'permission_denied', 'an org admin may not');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as('carl_coord', 'aaaaaaaa-0000-0000-0000-000000000001');
SELECT throws_ok($$SELECT public.get_engine_status()$$, 'PT403', 'permission_denied', 'a coordinator may not');
SELECT tests.clear_authentication();
SELECT tests.authenticate_with_claims('{"role": "authenticated"}');
SELECT throws_ok($$SELECT public.get_engine_status()$$, 'PT401', 'not_authenticated', 'no sub: not_authenticated');
SELECT tests.clear_authentication();
-- A role claim of service_role on the authenticated database role (what any signed-in
-- session can put in its claims) is not service_role (DESIGN §4: the database role decides).
SELECT tests.authenticate_with_claims(jsonb_build_object('role', 'service_role',
  'sub', tests.get_user_id('alice_admin'), 'org_id', 'aaaaaaaa-0000-0000-0000-000000000001'));
SELECT throws_ok($$SELECT public.get_engine_status()$$, 'PT403', 'permission_denied',
  'a JWT claiming role service_role on the authenticated role: permission_denied');
SELECT tests.clear_authentication();
SELECT tests.authenticate_with_claims('{"role": "service_role"}');
SELECT throws_ok($$SELECT public.get_engine_status()$$, 'PT401', 'not_authenticated',
  'a role claim of service_role without sub: not_authenticated, no engine status');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT public.get_engine_status()$$, '42501', NULL::text, 'anon has no EXECUTE');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT public.get_engine_status()$$, '42501', NULL::text, 'the worker role has no EXECUTE');
SELECT tests.clear_authentication();
SELECT ok(NOT has_function_privilege('authenticated', 'integration_ops.refresh_alerts()', 'execute')
          AND NOT has_table_privilege('authenticated', 'integration_ops.alerts', 'select'),
  'API users can neither refresh nor read alerts directly');

-- The snapshot: what pg_cron refreshes every minute, read while fresh ------------------------------
SELECT is(integration_ops.refresh_engine_stats() -> 'runs_24h' -> 'dynamics',
  '{"completed": 1, "failed": 0, "cancelled": 0, "cold_starts": 0, "cold_starts_failed": 0, "skipped": 0, "retries": 0, "retries_exhausted": 0}'::jsonb,
  'refresh_engine_stats returns what it stores');
DO $$
BEGIN
  -- stored a minute ago; since then another dynamics run of B completed on worker w-new
  UPDATE integration_ops.engine_stats SET computed_at = now() - interval '1 minute';
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at, started_at,
                                   ended_at, worker_id)
  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'completed', 'manual', now(), now(), now(), 'w-new');
END
$$;
SELECT tests.authenticate_as_service_role();
SELECT is(public.get_engine_status() #> '{runs_24h,dynamics,completed}', '1'::jsonb,
  'a snapshot younger than settings.engine_stats_max_age is read as it is');
SELECT is((public.get_engine_status() ->> 'as_of')::timestamptz, now() - interval '1 minute',
  'as_of is the snapshot''s time');
SELECT is(public.get_engine_status() -> 'failing', integration_ops.compute_engine_stats(now()) -> 'failing',
  'failing comes from the snapshot');
SELECT is(public.get_engine_status() #> '{queue,running}', '1'::jsonb, 'the queue is always read live');
SELECT tests.clear_authentication();
UPDATE integration_ops.engine_stats SET computed_at = now() - interval '3 minutes';
SELECT tests.authenticate_as_service_role();
SELECT is(public.get_engine_status() #> '{runs_24h,dynamics,completed}', '2'::jsonb,
  'an older snapshot is not used: the figures are computed now');
SELECT ok((SELECT bool_or(w ->> 'worker_id' = 'w-new') FROM jsonb_array_elements(public.get_engine_status() -> 'workers') AS w),
  '... with the workers of the last hour');
SELECT tests.clear_authentication();
SELECT is((integration_ops.refresh_engine_stats() ->> 'computed_at')::timestamptz, now(),
  'a refresh replaces an older snapshot');
DO $$
BEGIN
  UPDATE integration_ops.engine_stats SET computed_at = now() + interval '1 minute';
  PERFORM integration_ops.refresh_engine_stats();
END
$$;
SELECT is((SELECT computed_at FROM integration_ops.engine_stats), now() + interval '1 minute',
  'but never a newer one');
SELECT throws_ok($$SELECT integration_ops.compute_engine_stats(NULL)$$, 'PT400', 'invalid_argument',
  'compute_engine_stats needs a time');
SELECT is((SELECT command FROM cron.job WHERE jobname = 'integration_refresh_engine_stats'),
  'SELECT integration_ops.refresh_engine_stats()', 'pg_cron refreshes the snapshot every minute');
SELECT ok(NOT has_function_privilege('authenticated', 'integration_ops.refresh_engine_stats()', 'execute')
          AND NOT has_table_privilege('authenticated', 'integration_ops.engine_stats', 'select'),
  'API users can neither refresh nor read the snapshot directly');

-- refresh_alerts: resolving ------------------------------------------------------------------------
DO $$
BEGIN
  -- the stale pending run is taken; A/bufdir completes; B/dynamics runs on time again
  UPDATE public.sync_run_log SET status = 'running', worker_id = 'w-1', heartbeat_at = now()
   WHERE id = 'e0000000-0000-0000-0000-000000000001';
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at, started_at, ended_at)
  VALUES ('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'completed', 'manual', now(), now(), now());
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now()
   WHERE id = 'e0000000-0000-0000-0000-000000000003';
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at, scheduled_for,
                                   started_at, ended_at)
  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'completed', 'scheduler', now(),
          now() - interval '10 seconds', now(), now());
END
$$;
SELECT is(integration_ops.refresh_alerts() -> 'resolved', '4'::jsonb, 'every alert resolves once its condition clears');
SELECT is((SELECT count(*)::int FROM integration_ops.alerts WHERE resolved_at IS NULL), 0, 'no open alert is left');
SELECT is(integration_ops.refresh_alerts() -> 'opened', '0'::jsonb, 'a cleared condition does not reopen');

-- a pair that is disabled takes its open alerts with it
DO $$
BEGIN
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at, started_at, ended_at,
                                   error_code)
  SELECT 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics', 'failed', 'manual', now(),
         now() + g * interval '1 second', now() + g * interval '1 second', 'timeout'
    FROM generate_series(1, 3) AS g;
END
$$;
SELECT is(integration_ops.refresh_alerts() -> 'opened', '1'::jsonb, 'settings.failure_alert_runs (3) failures open an alert');
UPDATE public.organization_integrations SET enabled = false
 WHERE org_id = 'bbbbbbbb-0000-0000-0000-000000000002' AND integration_type = 'dynamics';
SELECT is(integration_ops.refresh_alerts() -> 'resolved', '1'::jsonb, 'disabling the pair resolves it');
SELECT is(integration_ops.refresh_alerts() -> 'opened', '0'::jsonb,
  'and its failures do not reopen it on the next refresh');

-- retention
UPDATE integration_ops.alerts SET resolved_at = now() - interval '31 days'
 WHERE kind = 'drift';
SELECT is(integration_ops.refresh_alerts() -> 'deleted', '1'::jsonb, 'resolved alerts older than settings.alert_retention are deleted');
SELECT is((SELECT count(*)::int FROM integration_ops.alerts WHERE kind = 'drift'), 0, 'the expired row is gone');

-- cold starts (issue 18): counted per type; a failed retry opens cold_start_failed ----------------
DO $$
BEGIN
  PERFORM tests.add_integration('bbbbbbbb-0000-0000-0000-000000000002', 'xledger');
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at, started_at,
                                   ended_at, error_code, worker_id, cold_start)
  VALUES ('e0000000-0000-0000-0000-0000000000c1', 'bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'completed',
          'scheduler', now() - interval '2 hours', now() - interval '2 hours', now() - interval '2 hours', NULL,
          'w-1', true),
         ('e0000000-0000-0000-0000-0000000000c2', 'bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'failed',
          'scheduler', now() - interval '20 minutes', now() - interval '20 minutes', now() - interval '19 minutes',
          'http_503', 'w-1', true);
END
$$;
SELECT is(integration_ops.compute_engine_stats(now()) #> '{runs_24h,xledger}',
  '{"completed": 1, "failed": 1, "cancelled": 0, "cold_starts": 2, "cold_starts_failed": 1, "skipped": 0, "retries": 0, "retries_exhausted": 0}'::jsonb,
  'runs_24h counts every cold start and the ones whose retry failed too');
SELECT is(integration_ops.refresh_alerts() -> 'opened', '1'::jsonb, 'a cold start whose retry failed opens an alert');
SELECT results_eq(
  $$SELECT kind, integration_type, run_id::text, detail ->> 'error_code' FROM integration_ops.alerts
     WHERE resolved_at IS NULL AND org_id = 'bbbbbbbb-0000-0000-0000-000000000002'$$,
  $$VALUES ('cold_start_failed', 'xledger', 'e0000000-0000-0000-0000-0000000000c2', 'http_503')$$,
  'cold_start_failed names the run and the retry''s error');
SELECT tests.authenticate_as_service_role();
SELECT ok((SELECT bool_or(a ->> 'kind' = 'cold_start_failed') FROM jsonb_array_elements(public.get_engine_status() -> 'alerts') AS a),
  'get_engine_status lists it');
SELECT tests.clear_authentication();
DO $$
BEGIN
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by, created_at, started_at, ended_at)
  VALUES ('bbbbbbbb-0000-0000-0000-000000000002', 'xledger', 'completed', 'scheduler', now(), now(), now());
END
$$;
SELECT is(integration_ops.refresh_alerts() -> 'resolved', '1'::jsonb, 'a later completed run resolves it');

-- the pg_cron job
SELECT is((SELECT command FROM cron.job WHERE jobname = 'integration_refresh_alerts'),
  'SELECT integration_ops.refresh_alerts()', 'pg_cron refreshes the alerts every minute');

SELECT * FROM finish();
ROLLBACK;
