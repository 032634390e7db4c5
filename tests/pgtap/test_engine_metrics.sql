-- The operators' kit (0.3, issue 23): integration_ops.get_engine_metrics(), the engine's
-- figures behind the worker's orchestrator_engine_* gauges: the live queue, the 24-hour
-- figures of get_engine_status() (snapshot or computed now), open alerts per kind (every
-- kind, zeros included), no org id; integration_worker and service_role only.
BEGIN;
SELECT plan(21);

DO $$
BEGIN
  -- This file's world only (rolled back at the end).
  GRANT USAGE ON SCHEMA extensions TO integration_worker;  -- pgTAP for the worker role; rolled back
  DELETE FROM integration_ops.alerts;
  DELETE FROM integration_ops.engine_stats;
  DELETE FROM public.sync_run_log;
  UPDATE public.organization_integrations SET enabled = false;
  PERFORM tests.seed_two_orgs();   -- A: xledger, bufdir; B: dynamics
  -- A/xledger: a chain whose attempt 5 of 5 failed with a transient code (exhausted)
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   started_at, ended_at, error_code, attempt, retry_of, idempotency_key, worker_id)
  VALUES ('e1000000-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'failed',
          'manual', now() - interval '50 minutes', now() - interval '50 minutes', now() - interval '49 minutes',
          'http_503', 1, NULL, 'metrics:xledger:1', 'w-1'),
         ('e1000000-0000-0000-0000-000000000005', 'aaaaaaaa-0000-0000-0000-000000000001', 'xledger', 'failed',
          'manual', now() - interval '6 minutes', now() - interval '6 minutes', now() - interval '5 minutes',
          'timeout', 5, 'e1000000-0000-0000-0000-000000000001', 'metrics:xledger:1', 'w-1');
  -- A/bufdir: a second attempt that met a cold endpoint and completed; then a retry waiting
  -- for its not_before
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   started_at, ended_at, attempt, cold_start, idempotency_key, worker_id)
  VALUES ('e1000000-0000-0000-0000-000000000012', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'completed',
          'manual', now() - interval '20 minutes', now() - interval '20 minutes', now() - interval '19 minutes',
          2, true, 'metrics:bufdir:1', 'w-1');
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   attempt, not_before, idempotency_key)
  VALUES ('e1000000-0000-0000-0000-000000000022', 'aaaaaaaa-0000-0000-0000-000000000001', 'bufdir', 'pending',
          'manual', now(), 2, now() + interval '10 minutes', 'metrics:bufdir:2');
  -- B/dynamics: a run in flight
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at,
                                   started_at, worker_id, heartbeat_at)
  VALUES ('e1000000-0000-0000-0000-000000000031', 'bbbbbbbb-0000-0000-0000-000000000002', 'dynamics',
          'running', 'manual', now(), now(), 'w-2', now());
END
$$;

-- The document ---------------------------------------------------------------------------------
SELECT tests.authenticate_as_worker();
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(integration_ops.get_engine_metrics()) AS k),
  ARRAY['as_of', 'drift_24h', 'open_alerts', 'queue', 'runs_24h', 'snapshot_at'],
  'the worker reads queue, runs_24h, drift_24h, open_alerts, as_of and snapshot_at');
SELECT is(integration_ops.get_engine_metrics() -> 'queue',
  '{"pending": 1, "waiting_retries": 1, "running": 1}'::jsonb,
  'queue, live: the waiting retry is pending and waiting, the run in flight is running');
SELECT is(integration_ops.get_engine_metrics() #> '{runs_24h,xledger}',
  '{"completed": 0, "failed": 2, "cancelled": 0, "cold_starts": 0, "cold_starts_failed": 0,
    "skipped": 0, "retries": 1, "retries_exhausted": 1}'::jsonb,
  'runs_24h: attempt 5 is a retry and its failure exhausts the chain');
SELECT is(integration_ops.get_engine_metrics() #> '{runs_24h,bufdir}',
  '{"completed": 1, "failed": 0, "cancelled": 0, "cold_starts": 1, "cold_starts_failed": 0,
    "skipped": 0, "retries": 1, "retries_exhausted": 0}'::jsonb,
  'runs_24h: a completed retry that met a cold endpoint');
SELECT is(integration_ops.get_engine_metrics() -> 'open_alerts',
  '{"drift": 0, "lagging": 0, "worker_lost": 0, "stale_pending": 0, "cold_start_failed": 0,
    "repeated_failures": 0, "retries_exhausted": 0}'::jsonb,
  'open_alerts: every kind, zeros included, before the alerts are refreshed');
SELECT is((integration_ops.get_engine_metrics() ->> 'as_of')::timestamptz, now(),
  'without a snapshot the figures are computed now');
SELECT is(integration_ops.get_engine_metrics() -> 'snapshot_at', 'null'::jsonb,
  'snapshot_at is null without a snapshot');
SELECT ok(integration_ops.get_engine_metrics()::text !~ '(aaaaaaaa|bbbbbbbb)-0000',
  'no org id in the document');
SELECT tests.clear_authentication();

SELECT lives_ok($$SELECT integration_ops.refresh_alerts()$$, 'refresh_alerts runs');
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.get_engine_metrics() #>> '{open_alerts,retries_exhausted}')::int, 1,
  'open_alerts counts the open retries_exhausted alert');
SELECT tests.clear_authentication();

-- every kind the alerts table allows is listed (a new kind must be added here too)
SELECT is(
  (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(integration_ops.get_engine_metrics() -> 'open_alerts') AS k),
  (SELECT array_agg(m[1] ORDER BY m[1])
     FROM pg_constraint AS c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
    WHERE c.conname = 'alerts_kind_check' AND c.conrelid = 'integration_ops.alerts'::regclass),
  'open_alerts lists exactly the kinds of alerts_kind_check');

-- the same figures as get_engine_status()
SELECT tests.authenticate_as_service_role();
SELECT is(integration_ops.get_engine_metrics() -> 'runs_24h', public.get_engine_status() -> 'runs_24h',
  'runs_24h is get_engine_status()''s');
SELECT is(integration_ops.get_engine_metrics() -> 'drift_24h', public.get_engine_status() -> 'drift_24h',
  'drift_24h is get_engine_status()''s');
SELECT tests.clear_authentication();

-- the every-minute snapshot while fresh; computed now when stale ---------------------------------
DO $$
BEGIN
  PERFORM integration_ops.refresh_engine_stats();
  UPDATE integration_ops.engine_stats
     SET computed_at = now() - interval '30 seconds',
         stats = jsonb_set(stats, '{runs_24h,dynamics,completed}', '7');
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.get_engine_metrics() ->> 'snapshot_at')::timestamptz, now() - interval '30 seconds',
  'snapshot_at: when the snapshot was stored');
SELECT is((integration_ops.get_engine_metrics() #>> '{runs_24h,dynamics,completed}')::int, 7,
  'a fresh snapshot is read as it is');
SELECT tests.clear_authentication();
DO $$
BEGIN
  UPDATE integration_ops.engine_stats SET computed_at = now() - interval '1 hour';
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.get_engine_metrics() ->> 'as_of')::timestamptz, now(),
  'a snapshot older than engine_stats_max_age: the figures are computed now');
SELECT is((integration_ops.get_engine_metrics() #>> '{runs_24h,dynamics,completed}')::int, 0,
  'and are the real ones');
SELECT is((integration_ops.get_engine_metrics() ->> 'snapshot_at')::timestamptz, now() - interval '1 hour',
  'snapshot_at still tells how old the snapshot is (pg_cron stopped)');
SELECT tests.clear_authentication();

-- who may call it ----------------------------------------------------------------------------------
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT throws_ok($$SELECT integration_ops.get_engine_metrics()$$, '42501', NULL::text,
  'authenticated (even a global admin) has no EXECUTE');
SELECT tests.clear_authentication();
SELECT tests.authenticate_as_anon();
SELECT throws_ok($$SELECT integration_ops.get_engine_metrics()$$, '42501', NULL::text, 'anon has no EXECUTE');
SELECT tests.clear_authentication();
SELECT ok(has_function_privilege('service_role', 'integration_ops.get_engine_metrics()', 'execute'),
  'service_role may call it');

SELECT * FROM finish();
ROLLBACK;
