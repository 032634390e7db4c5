-- Verify integration-sync:table_sync_run_log on pg
BEGIN;
SELECT id, org_id, integration_type, status, triggered_by, triggered_by_user_id, created_at,
       scheduled_for, idempotency_key, started_at, ended_at, records_processed, records_failed,
       error_code, error_message, worker_id, heartbeat_at, duration_seconds, drift_seconds, net_request_id
  FROM public.sync_run_log WHERE false;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class
 WHERE oid = 'public.sync_run_log'::regclass AND relrowsecurity;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'public' AND indexname = 'sync_run_log_one_active_per_pair';
SELECT 1 / COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'public' AND indexname = 'sync_run_log_pair_started_idx';
SELECT 1/((pg_catalog.has_table_privilege('authenticated', 'public.sync_run_log', 'select')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.sync_run_log', 'insert')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.sync_run_log', 'update')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'public.sync_run_log', 'delete')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'public.sync_run_log', 'select')) IS TRUE)::int;
SELECT 1/((pg_catalog.has_table_privilege('service_role', 'public.sync_run_log', 'insert')) IS TRUE)::int;
SELECT 1/((NOT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = 'supabase_realtime')
      OR EXISTS (SELECT FROM pg_catalog.pg_publication_tables
                  WHERE pubname = 'supabase_realtime' AND schemaname = 'public' AND tablename = 'sync_run_log')) IS TRUE)::int;
ROLLBACK;
