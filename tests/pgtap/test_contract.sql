-- The contract of DESIGN §5 and §8: names, named parameters (PostgREST maps JSON keys to
-- them), defaults and result shapes are exact, because the app and outside checks call them.
BEGIN;
SELECT plan(3);

SELECT set_eq(
  $$SELECT p.proname || '(' || pg_get_function_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public'$$,
  ARRAY[
    'get_org_health_status(org_id uuid) -> TABLE(integration_type text, display_name text, status text, latency_ms integer, checked_at timestamp with time zone, error_message text)',
    'get_global_health_summary() -> TABLE(integration_type text, display_name text, healthy bigint, degraded bigint, unreachable bigint, total bigint)',
    'get_health_trend(org_id uuid, integration_type text, hours integer) -> TABLE(status text, latency_ms integer, checked_at timestamp with time zone)',
    'get_last_run_per_integration(org_id uuid) -> SETOF sync_run_log',
    'get_run_history(org_id uuid, integration_type text, row_limit integer DEFAULT 20) -> SETOF sync_run_log',
    'trigger_integration_sync(org_id uuid, integration_type text) -> uuid',
    'insert_run_log(org_id uuid, integration_type text, triggered_by text) -> uuid',
    'update_run_log_status(run_id uuid, status text, records_processed integer, records_failed integer, error_message text) -> sync_run_log',
    'get_engine_status() -> jsonb',
    'retry_sync_run(run_id uuid) -> uuid',
    'configure_integration(org_id uuid, integration_type text, endpoint_url text, sync_interval interval DEFAULT ''01:00:00''::interval, delivery text DEFAULT ''worker''::text, health_mode text DEFAULT ''active''::text, health_config jsonb DEFAULT ''{}''::jsonb, warmup_url text DEFAULT NULL::text, enabled boolean DEFAULT true) -> organization_integrations'
  ],
  'the public RPCs are exactly those of DESIGN §5 (and get_engine_status of §12, retry_sync_run and configure_integration of §13), with their parameter names');

SELECT set_eq(
  $$SELECT p.proname || '(' || pg_get_function_arguments(p.oid) || ') -> ' || coalesce(pg_get_function_result(p.oid), 'procedure')
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'integration_ops'
       AND has_function_privilege('integration_worker', p.oid, 'execute')$$,
  ARRAY[
    'claim_sync_runs(worker_id text, max_runs integer) -> TABLE(run_id uuid, org_id uuid, integration_type text, endpoint_url text, triggered_by text, scheduled_for timestamp with time zone, idempotency_key text, secret_ref text)',
    'heartbeat_sync_runs(worker_id text, run_ids uuid[]) -> integer',
    'complete_sync_run(run_id uuid, records_processed integer, records_failed integer, worker_id text DEFAULT NULL::text) -> sync_run_log',
    'fail_sync_run(run_id uuid, error_code text, error_message text, worker_id text DEFAULT NULL::text, retry_after text DEFAULT NULL::text) -> sync_run_log',
    'finish_sync_runs(worker_id text, reports jsonb) -> TABLE(run_id uuid, status text, refused_with text)',
    'reap_stale_sync_runs() -> integer',
    'dispatch_due_syncs() -> jsonb',
    'claim_health_checks(worker_id text, max_checks integer) -> TABLE(org_id uuid, integration_type text, health_config jsonb, secret_ref text)',
    'record_health_check(org_id uuid, integration_type text, status text, latency_ms integer, error_message text) -> integration_health_status',
    'archive_sync_run_log() -> integer',
    'reconcile_pg_net_responses() -> integer',
    'record_sync_outcome_health(org_id uuid, integration_type text, succeeded boolean, error_message text) -> void',
    'sanitize_error_text(message text) -> text',
    'get_worker_settings() -> TABLE(health_check_timeout interval, stale_run_timeout interval)',
    'classify_sync_response(status_code integer, body text, transport_error text DEFAULT NULL::text, OUT outcome text, OUT error_code text, OUT records_processed integer, OUT records_failed integer, OUT message text) -> record',
    'clock() -> timestamp with time zone',
    'get_stale_pending_sync_runs() -> TABLE(run_id uuid, org_id uuid, integration_type text, triggered_by text, created_at timestamp with time zone, waiting interval, delivery text)',
    'claim_warmups(worker_id text, max_pairs integer) -> TABLE(org_id uuid, integration_type text, warmup_url text, secret_ref text, warmed_for timestamp with time zone)',
    'record_warmup(org_id uuid, integration_type text, http_status integer, worker_id text DEFAULT NULL::text) -> timestamp with time zone',
    'mark_cold_start(run_id uuid, error_code text, worker_id text, as_attempt boolean DEFAULT false) -> TABLE(cold_start boolean, warmup_url text, retry_run_id uuid)',
    'package_version() -> text',
    'get_engine_metrics() -> jsonb'
  ],
  'integration_worker executes the worker RPCs of DESIGN §8 (plus its documented helpers) and nothing else');

SELECT ok(
  to_regprocedure('integration_ops.cleanup_health_history()') IS NOT NULL
  AND (SELECT prokind FROM pg_proc WHERE oid = 'integration_ops.cleanup_health_history()'::regprocedure) = 'p'
  AND NOT has_function_privilege('integration_worker', 'integration_ops.cleanup_health_history()', 'execute')
  AND NOT has_function_privilege('service_role', 'integration_ops.cleanup_health_history()', 'execute')
  AND NOT has_function_privilege('authenticated', 'integration_ops.cleanup_health_history()', 'execute'),
  'cleanup_health_history is a procedure no API role may execute');

SELECT * FROM finish();
ROLLBACK;
