-- Benchmark data generator (never deployed). Run as a superuser after the plan is
-- deployed, with the setting bench.orgs = N:
--   N orgs x 10 integrations (7 bench types added next to the 3 real ones),
--   an admin and a coordinator per org, a current status row per pair,
--   a full health history (96 rows per pair, 15-minute spacing),
--   90 days of daily runs per pair (completed, every 10th failed).
-- Triggers are skipped for the bulk load (session_replication_role = replica): the
-- history rows are written directly, as the trigger would have.

SET session_replication_role = replica;
SET synchronous_commit = off;

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
       'http://127.0.0.1:9/sync', '{}'::jsonb
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
       50 + org_no % 400, now() - interval '1 minute', NULL, 0, now() + interval '14 minutes'
  FROM bench_pairs
ON CONFLICT DO NOTHING;

INSERT INTO public.integration_health_history (org_id, integration_type, status, latency_ms, checked_at)
SELECT p.org_id, p.integration_type,
       (ARRAY['healthy', 'healthy', 'healthy', 'degraded', 'unreachable'])[1 + (p.org_no + k) % 5],
       50 + (p.org_no * 7 + k * 13) % 900,
       now() - interval '1 minute' - k * interval '15 minutes'
  FROM bench_pairs AS p
 CROSS JOIN generate_series(0, 95) AS k
 ORDER BY p.org_id, p.integration_type, k DESC;  -- index order: mostly appends

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
 ORDER BY p.org_id, p.integration_type, d DESC;  -- index order: mostly appends

SET session_replication_role = origin;
ANALYZE public.organization_integrations;
ANALYZE integration_ops.org_members;
ANALYZE public.integration_health_status;
ANALYZE public.integration_health_history;
ANALYZE public.sync_run_log;
