-- Benchmark data generator (never deployed). Run as a superuser after the plan is
-- deployed, with the settings
--   bench.orgs = N       N orgs x 10 integrations (7 bench types added next to the 3 real
--                        ones), an admin and a coordinator per org, a status row per pair;
--   bench.full = on|off  on: also a full health history (96 rows per pair, 15-minute
--                        spacing) and 90 days of daily runs per pair (completed, every
--                        10th failed); off: status rows only (the idle figures at
--                        200,000 pairs, built in seconds).
-- Triggers are skipped for the bulk load (session_replication_role = replica): history
-- rows are written directly, as the trigger would have; the status counters are
-- recounted at the end (integration_ops.rebuild_health_status_counts).
--
-- Shaped like a database that has been running: history rows are written in time order,
-- every pair's row between every other pair's (as the trigger writes them), so a pair's
-- trend is spread over many heap pages; runs likewise, one day at a time. Nothing is due:
-- next checks 1-2 hours ahead, next syncs tomorrow. Probe URLs point at a closed local
-- port, so a health runner started against this data never calls a vendor.

SET session_replication_role = replica;
SET synchronous_commit = off;
SET maintenance_work_mem = '512MB';

-- The bulk tables' indexes and key constraints are dropped for the load and built again
-- after it: a sorted build is many times faster than inserting millions of rows in time
-- order into them (nothing references these keys; the bench cluster is thrown away).
CREATE TEMP TABLE bench_constraint_defs AS
SELECT c.conrelid::regclass::text AS table_name, c.conname AS constraint_name,
       pg_get_constraintdef(c.oid) AS constraint_def
  FROM pg_constraint AS c
 WHERE c.conrelid IN ('public.integration_health_history'::regclass, 'public.sync_run_log'::regclass)
   AND c.contype IN ('p', 'u')
   AND current_setting('bench.full')::boolean;
CREATE TEMP TABLE bench_index_defs AS
SELECT i.indexrelid::regclass::text AS index_name, pg_get_indexdef(i.indexrelid) AS index_def
  FROM pg_index AS i
 WHERE i.indrelid IN ('public.integration_health_history'::regclass, 'public.sync_run_log'::regclass)
   AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)
   AND current_setting('bench.full')::boolean;
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM bench_index_defs LOOP
    EXECUTE format('DROP INDEX %s', r.index_name);
  END LOOP;
  FOR r IN SELECT * FROM bench_constraint_defs LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.table_name, r.constraint_name);
  END LOOP;
END
$$;

INSERT INTO public.integration_types (integration_type, display_name, category)
SELECT 'bench_' || lpad(i::text, 2, '0'), 'Bench integration ' || i, 'other'
  FROM generate_series(1, 7) AS i
ON CONFLICT (integration_type) DO NOTHING;

CREATE TEMP TABLE bench_pairs AS
SELECT md5('bench-org-' || o)::uuid AS org_id, t.integration_type, o AS org_no
  FROM generate_series(1, current_setting('bench.orgs')::int) AS o
 CROSS JOIN (SELECT integration_type FROM public.integration_types
              ORDER BY integration_type LIMIT 10) AS t;

INSERT INTO public.organization_integrations
  (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, health_config)
SELECT org_id, integration_type, interval '1 day',
       date_bin(interval '1 day', now(), timestamptz '2000-01-01 00:00+00') + interval '1 day',
       'http://127.0.0.1:9/sync', '{"url": "http://127.0.0.1:9/health"}'::jsonb
  FROM bench_pairs
ON CONFLICT DO NOTHING;

INSERT INTO auth.users (id, aud, role, email)
SELECT md5('bench-user-' || o || '-' || r)::uuid, 'authenticated', 'authenticated',
       'bench' || o || '-' || r || '@bench.example'
  FROM generate_series(1, current_setting('bench.orgs')::int) AS o
 CROSS JOIN unnest(ARRAY['admin', 'coordinator']) AS r
ON CONFLICT (id) DO NOTHING;

INSERT INTO integration_ops.org_members (org_id, user_id, role)
SELECT md5('bench-org-' || o)::uuid, md5('bench-user-' || o || '-' || r)::uuid, r
  FROM generate_series(1, current_setting('bench.orgs')::int) AS o
 CROSS JOIN unnest(ARRAY['admin', 'coordinator']) AS r
ON CONFLICT DO NOTHING;

INSERT INTO public.integration_health_status
  (org_id, integration_type, status, latency_ms, checked_at, error_message,
   consecutive_failures, next_check_at)
SELECT org_id, integration_type,
       (ARRAY['healthy', 'healthy', 'healthy', 'degraded', 'unreachable'])[1 + org_no % 5],
       50 + org_no % 400, now() - interval '1 minute', NULL, 0,
       now() + interval '1 hour' + (org_no % 3600) * interval '1 second'
  FROM bench_pairs
ON CONFLICT DO NOTHING;

INSERT INTO public.integration_health_history (org_id, integration_type, status, latency_ms, checked_at)
SELECT p.org_id, p.integration_type,
       (ARRAY['healthy', 'healthy', 'healthy', 'degraded', 'unreachable'])[1 + (p.org_no + k) % 5],
       50 + (p.org_no * 7 + k * 13) % 900,
       now() - interval '1 minute' - k * interval '15 minutes'
  FROM bench_pairs AS p
 CROSS JOIN generate_series(0, 95) AS k
 WHERE current_setting('bench.full')::boolean
 ORDER BY k DESC, p.org_id, p.integration_type;  -- time order: pairs interleaved

INSERT INTO public.sync_run_log
  (org_id, integration_type, status, triggered_by, created_at, scheduled_for, idempotency_key,
   started_at, ended_at, records_processed, records_failed, error_code, error_message)
SELECT p.org_id, p.integration_type,
       CASE WHEN d % 10 = 0 THEN 'failed' ELSE 'completed' END,
       'scheduler',
       day_start, day_start,
       p.org_id || ':' || p.integration_type || ':' || to_char(day_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       day_start + interval '3 seconds',
       day_start + interval '3 seconds' + (10 + (p.org_no + d) % 50) * interval '1 second',
       (p.org_no * 31 + d * 17) % 5000, CASE WHEN d % 10 = 0 THEN 0 ELSE d % 3 END,
       CASE WHEN d % 10 = 0 THEN 'http_500' END,
       CASE WHEN d % 10 = 0 THEN 'vendor returned 500' END
  FROM bench_pairs AS p
 CROSS JOIN generate_series(1, 90) AS d
 CROSS JOIN LATERAL (SELECT date_bin(interval '1 day', now(), timestamptz '2000-01-01 00:00+00')
                            - d * interval '1 day' AS day_start) AS ds
 WHERE current_setting('bench.full')::boolean
 ORDER BY d DESC, p.org_id, p.integration_type;  -- time order: one day at a time

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM bench_constraint_defs LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.table_name, r.constraint_name, r.constraint_def);
  END LOOP;
  FOR r IN SELECT * FROM bench_index_defs LOOP
    EXECUTE r.index_def;
  END LOOP;
END
$$;

SET session_replication_role = origin;
SELECT integration_ops.rebuild_health_status_counts();
