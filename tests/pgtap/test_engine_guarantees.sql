-- Engine guarantees (0.2, issue 13): only contract transitions, one finish path (worker
-- identity, repeated reports, passive health), every pending run reaches an end, exactly
-- one settings row, archival that never drops a live row, one bounded dispatch batch.
BEGIN;
SELECT plan(48);

DO $$
BEGIN
  UPDATE public.organization_integrations SET enabled = false;  -- only this file's pairs are due
  GRANT USAGE ON SCHEMA extensions TO integration_worker;
  INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, health_mode)
  VALUES ('c0000000-0000-0000-0000-00000000000c', 'xledger', 'http://127.0.0.1:9/x', 'passive'),
         ('c0000000-0000-0000-0000-00000000000c', 'dynamics', 'http://127.0.0.1:9/d', 'active'),
         ('c0000000-0000-0000-0000-00000000000c', 'bufdir', 'http://127.0.0.1:9/b', 'active');
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by) VALUES
    ('c1000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-00000000000c', 'xledger', 'pending', 'manual');
END
$$;

-- Transitions -------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE public.sync_run_log SET status = 'completed', ended_at = now()
                    WHERE id = 'c1000000-0000-0000-0000-000000000001'$$,
  'PT409', 'invalid_transition', 'pending -> completed is refused for every writer');
SELECT throws_ok($$UPDATE public.sync_run_log SET status = 'failed', ended_at = now(), error_code = 'http_500'
                    WHERE id = 'c1000000-0000-0000-0000-000000000001'$$,
  'PT409', 'invalid_transition', 'pending -> failed is refused unless the delivery failed at once');
SELECT lives_ok($$UPDATE public.sync_run_log SET status = 'running', worker_id = 'w-a', heartbeat_at = now()
                   WHERE id = 'c1000000-0000-0000-0000-000000000001'$$,
  'pending -> running is allowed');
SELECT throws_ok($$UPDATE public.sync_run_log SET status = 'pending' WHERE id = 'c1000000-0000-0000-0000-000000000001'$$,
  'PT409', 'invalid_transition', 'running -> pending is refused');

-- Worker identity and repeated reports --------------------------------------------------------
SELECT tests.authenticate_as_worker();
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('c1000000-0000-0000-0000-000000000001', 1, 0, worker_id => 'w-b')$$,
  'PT409', 'invalid_transition', 'another worker cannot complete the run');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('c1000000-0000-0000-0000-000000000001', 'timeout', 'x', worker_id => 'w-b')$$,
  'PT409', 'invalid_transition', 'another worker cannot fail the run');
SELECT is(integration_ops.heartbeat_sync_runs('w-b', ARRAY['c1000000-0000-0000-0000-000000000001']::uuid[]), 0,
  'another worker''s heartbeat touches nothing');
SELECT is((integration_ops.complete_sync_run('c1000000-0000-0000-0000-000000000001', 3, 1, worker_id => 'w-a')).status,
  'completed', 'the claiming worker completes the run');
SELECT is((integration_ops.complete_sync_run('c1000000-0000-0000-0000-000000000001', 3, 1, worker_id => 'w-a')).records_processed,
  3, 'the same report again returns the row (a retried report is harmless)');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('c1000000-0000-0000-0000-000000000001', 4, 1, worker_id => 'w-a')$$,
  'PT409', 'invalid_transition', 'a different outcome for a finished run is refused');
SELECT throws_ok($$SELECT integration_ops.fail_sync_run('c1000000-0000-0000-0000-000000000001', 'timeout', 'x', worker_id => 'w-a')$$,
  'PT409', 'invalid_transition', 'failing a completed run is refused');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('c1000000-0000-0000-0000-000000000001', 3, 1)$$,
  'PT409', 'invalid_transition', 'without worker_id (a 0.1 worker) a finished run is not finished again');
SELECT throws_ok($$SELECT integration_ops.complete_sync_run('c1000000-0000-0000-0000-0000000000ff', 3, 1, worker_id => 'w-a')$$,
  'PT404', 'run_not_found', 'an unknown run is run_not_found');
SELECT tests.clear_authentication();
SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  'healthy', 'passive health heard of the completion (through the trigger)');

-- A 0.1 worker's positional three-argument calls still resolve
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at) VALUES
    ('c1000000-0000-0000-0000-000000000002', 'c0000000-0000-0000-0000-00000000000c', 'xledger', 'running', 'manual', 'w-old', now());
END
$$;
SELECT tests.authenticate_as_worker();
SELECT is((integration_ops.fail_sync_run('c1000000-0000-0000-0000-000000000002', 'http_404', 'no such export')).error_code,
  'http_404', 'a 0.1 worker''s fail_sync_run(run_id, error_code, error_message) still works');
SELECT tests.clear_authentication();
SELECT is((SELECT status FROM public.integration_health_status
            WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'xledger'),
  'degraded', 'passive health heard of the failure');

-- A delivery that failed at once also reaches passive health
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by) VALUES
    ('c1000000-0000-0000-0000-000000000003', 'c0000000-0000-0000-0000-00000000000c', 'xledger', 'pending', 'manual');
  PERFORM integration_ops.record_health_check('c0000000-0000-0000-0000-00000000000c', 'xledger', 'healthy', NULL, NULL);
  PERFORM integration_ops.finish_sync_run('c1000000-0000-0000-0000-000000000003', 'failed', NULL, NULL,
    'delivery_error', 'net.http_post failed: boom');
END
$$;
SELECT results_eq(
  $$SELECT r.status, r.error_code, h.status FROM public.sync_run_log AS r
      JOIN public.integration_health_status AS h USING (org_id, integration_type)
     WHERE r.id = 'c1000000-0000-0000-0000-000000000003'$$,
  $$VALUES ('failed'::text, 'delivery_error'::text, 'degraded'::text)$$,
  'pending -> failed (delivery_error) goes through the finish path and reaches passive health');

-- A pending run always reaches an end ---------------------------------------------------------
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by) VALUES
    ('c1000000-0000-0000-0000-000000000004', 'c0000000-0000-0000-0000-00000000000c', 'dynamics', 'pending', 'manual'),
    ('c1000000-0000-0000-0000-000000000005', 'c0000000-0000-0000-0000-00000000000c', 'bufdir', 'pending', 'manual');
  UPDATE public.organization_integrations SET enabled = false
   WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'dynamics';
  DELETE FROM public.organization_integrations
   WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'bufdir';
END
$$;
SELECT results_eq(
  $$SELECT status, error_code, ended_at IS NOT NULL FROM public.sync_run_log WHERE id = 'c1000000-0000-0000-0000-000000000004'$$,
  $$VALUES ('cancelled'::text, 'integration_disabled'::text, true)$$,
  'disabling a pair cancels its pending run (integration_disabled)');
SELECT results_eq(
  $$SELECT status, error_code, ended_at IS NOT NULL FROM public.sync_run_log WHERE id = 'c1000000-0000-0000-0000-000000000005'$$,
  $$VALUES ('cancelled'::text, 'integration_removed'::text, true)$$,
  'deleting a pair cancels its pending run (integration_removed)');

-- delivery switched: the pending run is handed to pg_net at once
DO $$
BEGIN
  PERFORM tests.install_pg_net_standin();
  -- 0.3: pg_net signs its calls; without the Vault secret the delivery fails at once
  PERFORM tests.install_vault_standin();
  PERFORM vault.create_secret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', s.webhook_secret_name)
     FROM integration_ops.settings AS s;
  UPDATE public.organization_integrations SET enabled = true
   WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'dynamics';
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by) VALUES
    ('c1000000-0000-0000-0000-000000000006', 'c0000000-0000-0000-0000-00000000000c', 'dynamics', 'pending', 'manual');
  UPDATE public.organization_integrations SET delivery = 'pg_net'
   WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'dynamics';
END
$$;
SELECT results_eq(
  $$SELECT status, worker_id, net_request_id IS NOT NULL FROM public.sync_run_log WHERE id = 'c1000000-0000-0000-0000-000000000006'$$,
  $$VALUES ('running'::text, 'pg_net'::text, true)$$,
  'switching delivery to pg_net posts the pending run at once');
SELECT tests.authenticate_as_worker();
SELECT is((SELECT count(*)::int FROM integration_ops.claim_sync_runs('w-a', 10)
            WHERE org_id = 'c0000000-0000-0000-0000-00000000000c'), 0,
  'the worker never claims it');
SELECT tests.clear_authentication();

-- Stale pending runs are reported
DO $$
BEGIN
  UPDATE public.organization_integrations SET delivery = 'worker', enabled = true
   WHERE org_id = 'c0000000-0000-0000-0000-00000000000c' AND integration_type = 'xledger';
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, created_at) VALUES
    ('c1000000-0000-0000-0000-000000000007', 'c0000000-0000-0000-0000-00000000000c', 'xledger', 'pending', 'manual',
     now() - interval '20 minutes');
END
$$;
SELECT is((SELECT run_id FROM integration_ops.get_stale_pending_sync_runs()
            WHERE org_id = 'c0000000-0000-0000-0000-00000000000c'),
  'c1000000-0000-0000-0000-000000000007'::uuid, 'a pending run older than stale_pending_alert is reported');
SELECT tests.authenticate_as_worker();
SELECT lives_ok($$SELECT integration_ops.reap_stale_sync_runs()$$, 'the reaper runs (and WARNs about it)');
SELECT tests.clear_authentication();
SELECT is((SELECT status FROM public.sync_run_log WHERE id = 'c1000000-0000-0000-0000-000000000007'),
  'pending', 'the reaper leaves pending runs to their worker');

-- Heartbeats can be HOT updates: no index of sync_run_log mentions heartbeat_at ------------------
SELECT is_empty(
  $$SELECT i.indexrelid::regclass::text FROM pg_index AS i
     WHERE i.indrelid = 'public.sync_run_log'::regclass
       AND (pg_get_indexdef(i.indexrelid) LIKE '%heartbeat_at%'
            OR coalesce(pg_get_expr(i.indpred, i.indrelid), '') LIKE '%heartbeat_at%')$$,
  'no index of sync_run_log has heartbeat_at in its key or predicate (0.1''s running index did)');

-- Exactly one settings row ---------------------------------------------------------------------
SELECT throws_ok($$DELETE FROM integration_ops.settings$$, '55000', NULL, 'the settings row cannot be deleted, not even by the owner');
SELECT throws_ok($$TRUNCATE integration_ops.settings$$, '55000', NULL, 'nor truncated');
SELECT throws_ok($$INSERT INTO integration_ops.settings (id) VALUES (true)$$, '23505', NULL, 'nor doubled');
SELECT tests.authenticate_as_service_role();
SELECT throws_ok($$UPDATE integration_ops.settings SET pg_net_vault_secret = 'other_secret'$$, '42501', NULL,
  'service_role cannot point pg_net at another Vault secret');
SELECT lives_ok($$UPDATE integration_ops.settings SET stale_pending_alert = interval '15 minutes'$$,
  'service_role tunes the other settings');
SELECT tests.clear_authentication();
SAVEPOINT no_settings;
DO $$
BEGIN
  ALTER TABLE integration_ops.settings DISABLE TRIGGER settings_keep_row;
  DELETE FROM integration_ops.settings;
END
$$;
SELECT throws_ok($$SELECT integration_ops.reap_stale_sync_runs()$$, 'P0002', 'integration_ops.settings has no row',
  'without the row the reaper fails loudly');
SELECT throws_ok($$SELECT integration_ops.archive_sync_run_log()$$,
  'P0002', 'integration_ops.settings has no row', 'and so does anything else that reads it');
SELECT throws_ok($$SELECT * FROM integration_ops.get_worker_settings()$$,
  'P0002', 'integration_ops.settings has no row', 'get_worker_settings too (0.1 answered no rows)');
SELECT throws_ok($$INSERT INTO public.integration_health_status (org_id, integration_type, status, checked_at)
                   VALUES ('c0000000-0000-0000-0000-0000000000ee', 'xledger', 'healthy', now())$$,
  'P0002', 'integration_ops.settings has no row', 'a health result write too (0.1 pruned history to a silent 96)');
ROLLBACK TO SAVEPOINT no_settings;

-- Archival never drops a live row it has not archived ------------------------------------------
DO $$
BEGIN
  INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, started_at, ended_at, records_processed) VALUES
    ('c1000000-0000-0000-0000-000000000008', 'c0000000-0000-0000-0000-00000000000c', 'dynamics', 'completed', 'manual',
     now() - interval '100 days', now() - interval '100 days', 42);
  INSERT INTO integration_ops.sync_run_log_archive (id, org_id, integration_type, status, triggered_by, created_at,
                                                    started_at, ended_at, records_processed, records_failed)
  VALUES ('c1000000-0000-0000-0000-000000000008', 'c0000000-0000-0000-0000-00000000000c', 'dynamics', 'failed', 'manual',
          now() - interval '200 days', now() - interval '200 days', now() - interval '200 days', 0, 0);
END
$$;
SELECT ok(integration_ops.archive_sync_run_log() >= 1, 'archival runs over a run whose id is already archived');
SELECT results_eq(
  $$SELECT status, records_processed FROM integration_ops.sync_run_log_archive WHERE id = 'c1000000-0000-0000-0000-000000000008'$$,
  $$VALUES ('completed'::text, 42)$$,
  'the archive holds the live row (it overwrote the stale copy)');
SELECT ok(NOT EXISTS (SELECT FROM public.sync_run_log WHERE id = 'c1000000-0000-0000-0000-000000000008'),
  'and only then was the live row deleted');

-- One bounded dispatch batch, no period lost --------------------------------------------------
DO $$
DECLARE
  v_hour timestamptz := date_bin('1 hour', now(), '2000-01-01 00:00+00');
BEGIN
  DELETE FROM public.sync_run_log WHERE status IN ('pending', 'running');
  UPDATE integration_ops.settings SET dispatch_batch_size = 3;
  INSERT INTO public.organization_integrations (org_id, integration_type, sync_interval, next_sync_at, endpoint_url)
  SELECT ('c2000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'xledger', '1 hour', v_hour - interval '2 hours',
         'http://127.0.0.1:9/x'
    FROM generate_series(1, 5) AS g;
  PERFORM set_config('tests.batch1', integration_ops.dispatch_due_syncs()::text, true);
  PERFORM set_config('tests.batch2', integration_ops.dispatch_due_syncs()::text, true);
END
$$;
SELECT is(jsonb_array_length(current_setting('tests.batch1')::jsonb -> 'run_ids'), 3,
  'one dispatch call handles one batch (dispatch_batch_size = 3)');
SELECT is(jsonb_array_length(current_setting('tests.batch2')::jsonb -> 'run_ids'), 2,
  'the next call takes the rest');
SELECT is((SELECT array_agg(DISTINCT k ORDER BY k) FROM jsonb_object_keys(current_setting('tests.batch1')::jsonb) AS k),
  ARRAY['failed', 'run_ids', 'skipped', 'triggered'], 'the JSON contract is unchanged');
SELECT is((SELECT count(DISTINCT scheduled_for)::int FROM public.sync_run_log
            WHERE org_id::text LIKE 'c2000000-%'), 1, 'each pair''s run is for its OLDEST due period');
SELECT is((SELECT count(*)::int FROM public.organization_integrations
            WHERE org_id::text LIKE 'c2000000-%' AND next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '1 hour'),
  5, 'each schedule advanced exactly one period: the next missed period stays due');
SELECT is((integration_ops.dispatch_due_syncs() -> 'triggered')::int, 0,
  'while those runs are active, no second run is created for the pair');
DO $$
BEGIN
  UPDATE public.sync_run_log SET status = 'running' WHERE org_id::text LIKE 'c2000000-%';
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now() WHERE org_id::text LIKE 'c2000000-%';
  PERFORM integration_ops.dispatch_due_syncs();
  PERFORM integration_ops.dispatch_due_syncs();
END
$$;
SELECT is((SELECT count(DISTINCT scheduled_for)::int FROM public.sync_run_log WHERE org_id::text LIKE 'c2000000-%'), 2,
  'once they end, the next missed period is dispatched: every elapsed period gets its run');
SELECT is((SELECT count(*)::int FROM public.sync_run_log WHERE org_id::text LIKE 'c2000000-%'), 10,
  'exactly one run per pair and period');

-- A period whose run could not be created stays due -----------------------------------------
DO $$
BEGIN
  -- pair 1: a manual run appears (committed meanwhile, as seen by the INSERT) for the due pair
  UPDATE public.sync_run_log SET status = 'running' WHERE org_id::text LIKE 'c2000000-%' AND status = 'pending';
  UPDATE public.sync_run_log SET status = 'completed', ended_at = now() WHERE org_id::text LIKE 'c2000000-%' AND status = 'running';
  UPDATE public.organization_integrations SET next_sync_at = date_bin('1 hour', now(), '2000-01-01 00:00+00')
   WHERE org_id::text LIKE 'c2000000-%';
  INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)
  VALUES ('c2000000-0000-0000-0000-000000000001', 'xledger', 'running', 'manual');
  UPDATE integration_ops.settings SET dispatch_batch_size = 100;
  PERFORM integration_ops.dispatch_due_syncs();
END
$$;
SELECT is((SELECT next_sync_at FROM public.organization_integrations
            WHERE org_id = 'c2000000-0000-0000-0000-000000000001'),
  date_bin('1 hour', now(), '2000-01-01 00:00+00'), 'a busy pair keeps its due period (no run, no advance)');
SELECT is((SELECT count(*)::int FROM public.organization_integrations
            WHERE org_id::text LIKE 'c2000000-%' AND next_sync_at > now()), 4,
  'the others advanced past their dispatched period');
SELECT ok((SELECT min(drift_seconds) >= 3600 FROM public.sync_run_log
            WHERE org_id::text LIKE 'c2000000-%' AND scheduled_for = date_bin('1 hour', now(), '2000-01-01 00:00+00') - interval '2 hours'),
  'replayed periods record their drift');

SELECT * FROM finish();
ROLLBACK;
