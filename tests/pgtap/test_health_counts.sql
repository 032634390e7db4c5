-- Per-type status counters (issue 16): integration_ops.health_status_counts is kept in
-- step with integration_health_status by triggers, and get_global_health_summary sums
-- its slots. (Concurrent writers from several connections: tests/test_health_counts.py.)
BEGIN;
SELECT plan(21);

DO $$
BEGIN
  PERFORM tests.create_user('gina_global');
END
$$;

-- What the counters say and what a full count says, per type.
CREATE TEMP VIEW counted AS
  SELECT t.integration_type,
         coalesce(sum(c.healthy), 0)::bigint AS healthy, coalesce(sum(c.degraded), 0)::bigint AS degraded,
         coalesce(sum(c.unreachable), 0)::bigint AS unreachable
    FROM public.integration_types t
    LEFT JOIN integration_ops.health_status_counts c ON c.integration_type = t.integration_type
   GROUP BY t.integration_type;
CREATE TEMP VIEW recounted AS
  SELECT t.integration_type,
         count(hs.status) FILTER (WHERE hs.status = 'healthy') AS healthy,
         count(hs.status) FILTER (WHERE hs.status = 'degraded') AS degraded,
         count(hs.status) FILTER (WHERE hs.status = 'unreachable') AS unreachable
    FROM public.integration_types t
    LEFT JOIN public.integration_health_status hs ON hs.integration_type = t.integration_type
   GROUP BY t.integration_type;
GRANT SELECT ON recounted TO authenticated;
CREATE TEMP TABLE baseline ON COMMIT DROP AS SELECT * FROM counted;
-- Deltas since the baseline, as 'type:healthy/degraded/unreachable' (types that moved).
CREATE TEMP VIEW delta AS
  SELECT c.integration_type || ':' || (c.healthy - b.healthy) || '/' || (c.degraded - b.degraded)
         || '/' || (c.unreachable - b.unreachable) AS d
    FROM counted c JOIN baseline b USING (integration_type)
   WHERE (c.healthy, c.degraded, c.unreachable) <> (b.healthy, b.degraded, b.unreachable);

SELECT set_eq($$SELECT * FROM counted$$, $$SELECT * FROM recounted$$,
  'at the start the counters equal a full count (whatever other tests committed)');
SELECT is((SELECT count(*)::int FROM integration_ops.health_status_counts WHERE integration_type = 'xledger'), 8,
  'each type has 8 counter slots');

-- Each kind of write ------------------------------------------------------------------------
DO $$
BEGIN
  INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
  VALUES ('c0000000-0000-0000-0000-000000000001', 'xledger', 'healthy', now()),
         ('c0000000-0000-0000-0000-000000000002', 'xledger', 'degraded', now()),
         ('c0000000-0000-0000-0000-000000000003', 'bufdir', 'unreachable', now());
  INSERT INTO public.integration_health_status (org_id, integration_type, next_check_at)
  VALUES ('c0000000-0000-0000-0000-000000000004', 'dynamics', now());
END
$$;
SELECT set_eq($$SELECT d FROM delta$$, ARRAY['xledger:1/1/0', 'bufdir:0/0/1'],
  'INSERT of results counts each status; a bookkeeping row (status NULL) counts nowhere');

DO $$
BEGIN
  UPDATE public.integration_health_status SET status = 'unreachable'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000001';
  UPDATE public.integration_health_status SET status = status, latency_ms = 5
   WHERE org_id = 'c0000000-0000-0000-0000-000000000002';
END
$$;
SELECT set_eq($$SELECT d FROM delta$$, ARRAY['xledger:0/1/1', 'bufdir:0/0/1'],
  'UPDATE of status moves one count; an UPDATE to the same status changes nothing');

DO $$
BEGIN
  UPDATE public.integration_health_status SET integration_type = 'dynamics'
   WHERE org_id = 'c0000000-0000-0000-0000-000000000003';
END
$$;
SELECT set_eq($$SELECT d FROM delta$$, ARRAY['xledger:0/1/1', 'dynamics:0/0/1'],
  'UPDATE of the type moves the count to the other type');

DO $$
BEGIN
  UPDATE public.integration_health_status SET status = 'healthy', checked_at = now()
   WHERE org_id = 'c0000000-0000-0000-0000-000000000004';
END
$$;
SELECT set_eq($$SELECT d FROM delta$$, ARRAY['xledger:0/1/1', 'dynamics:1/0/1'],
  'a bookkeeping row that gets its first result is counted');

DO $$
BEGIN
  DELETE FROM public.integration_health_status WHERE org_id = 'c0000000-0000-0000-0000-000000000001';
END
$$;
SELECT set_eq($$SELECT d FROM delta$$, ARRAY['xledger:0/1/0', 'dynamics:1/0/1'], 'DELETE uncounts');

-- Through the worker RPC (the path every result takes).
DO $$
BEGIN
  PERFORM integration_ops.record_health_check('c0000000-0000-0000-0000-000000000005', 'bufdir', 'healthy', 10, NULL);
  PERFORM integration_ops.record_health_check('c0000000-0000-0000-0000-000000000005', 'bufdir', 'degraded', 10, NULL);
  PERFORM integration_ops.record_health_check('c0000000-0000-0000-0000-000000000005', 'bufdir', 'degraded', 10, NULL);
END
$$;
SELECT set_eq($$SELECT d FROM delta$$, ARRAY['xledger:0/1/0', 'dynamics:1/0/1', 'bufdir:0/1/0'],
  'record_health_check: a new result counts, a change moves it, a repeat changes nothing');

SELECT set_eq($$SELECT * FROM counted$$, $$SELECT * FROM recounted$$, 'the counters equal a full count');
SELECT tests.authenticate_as('gina_global', NULL, 'global_admin');
SELECT set_eq(
  $$SELECT integration_type, healthy, degraded, unreachable, total FROM public.get_global_health_summary()$$,
  $$SELECT integration_type, healthy, degraded, unreachable, healthy + degraded + unreachable FROM recounted$$,
  'get_global_health_summary equals a full count; total = healthy + degraded + unreachable');
SELECT tests.clear_authentication();

-- Slots -------------------------------------------------------------------------------------
-- One transaction adds to one slot per type (the one it holds), never to several.
CREATE TEMP TABLE slots_before ON COMMIT DROP AS SELECT * FROM integration_ops.health_status_counts;
SELECT is((SELECT count(*)::int FROM integration_ops.health_status_counts c
             JOIN slots_before b USING (integration_type, slot)
            WHERE (c.healthy, c.degraded, c.unreachable) <> (b.healthy, b.degraded, b.unreachable)), 0,
  'snapshot taken');
DO $$
BEGIN
  FOR i IN 1..20 LOOP
    PERFORM integration_ops.record_health_check(('c1000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid,
      'xledger', (ARRAY['healthy', 'degraded', 'unreachable'])[1 + i % 3], 1, NULL);
  END LOOP;
END
$$;
SELECT is((SELECT count(*)::int FROM integration_ops.health_status_counts c
             JOIN slots_before b USING (integration_type, slot)
            WHERE c.integration_type = 'xledger'
              AND (c.healthy, c.degraded, c.unreachable) <> (b.healthy, b.degraded, b.unreachable)), 1,
  '20 results in one transaction land in one slot');
SELECT is((SELECT slot::int FROM integration_ops.health_status_counts c
             JOIN slots_before b USING (integration_type, slot)
            WHERE c.integration_type = 'xledger'
              AND (c.healthy, c.degraded, c.unreachable) <> (b.healthy, b.degraded, b.unreachable)),
  pg_backend_pid() % 8, 'the backend''s own slot (pid mod 8) when it is free');

-- A type added later gets its slots on its first counted write.
DO $$
BEGIN
  INSERT INTO public.integration_types (integration_type, display_name, category)
  VALUES ('test_new_type', 'Test type', 'other');
  INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
  VALUES ('c2000000-0000-0000-0000-000000000001', 'test_new_type', 'degraded', now());
END
$$;
SELECT results_eq(
  $$SELECT count(*)::int, sum(degraded)::int FROM integration_ops.health_status_counts WHERE integration_type = 'test_new_type'$$,
  $$VALUES (8, 1)$$, 'a new type gets 8 slots on its first counted write, with the count');

-- Rebuild and TRUNCATE -------------------------------------------------------------------------
DO $$
BEGIN
  UPDATE integration_ops.health_status_counts SET healthy = healthy + 1000 WHERE slot = 3;
END
$$;
SELECT ok(EXISTS (SELECT * FROM counted EXCEPT SELECT * FROM recounted), 'counters damaged by hand');
SELECT lives_ok($$SELECT integration_ops.rebuild_health_status_counts()$$, 'rebuild_health_status_counts runs');
SELECT set_eq($$SELECT * FROM counted$$, $$SELECT * FROM recounted$$, 'rebuild: the counters equal a full count again');
SELECT is((SELECT count(*)::int FROM integration_ops.health_status_counts),
  (SELECT count(*)::int * 8 FROM public.integration_types), 'rebuild: 8 slots per type');

DO $$
BEGIN
  TRUNCATE public.integration_health_status;
END
$$;
SELECT is((SELECT sum(healthy + degraded + unreachable)::int FROM integration_ops.health_status_counts), 0,
  'TRUNCATE of the status table zeroes the counters');

-- Privileges -------------------------------------------------------------------------------------
SELECT ok(NOT has_table_privilege('service_role', 'integration_ops.health_status_counts', 'select')
      AND NOT has_table_privilege('authenticated', 'integration_ops.health_status_counts', 'select')
      AND NOT has_table_privilege('integration_worker', 'integration_ops.health_status_counts', 'select'),
  'no API role reads the counters directly');
SELECT ok(NOT has_function_privilege('service_role', 'integration_ops.rebuild_health_status_counts()', 'execute')
      AND NOT has_function_privilege('integration_worker', 'integration_ops.rebuild_health_status_counts()', 'execute')
      AND NOT has_function_privilege('service_role', 'integration_ops.add_health_status_counts(text, integer, integer, integer)', 'execute'),
  'no API role runs the counter functions');

SELECT * FROM finish();
ROLLBACK;
