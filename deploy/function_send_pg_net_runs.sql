-- Deploy integration-sync:function_send_pg_net_runs to pg
-- requires: table_sync_run_log_retries index_sync_run_log_claim table_integration_types_max_concurrent_runs function_lock_type_cap function_webhook_headers function_vault_secret function_url_problem table_settings_security_tunables function_finish_sync_run index_organization_integrations_pg_net
-- 0.3 (issues 21, 22): the pg_net delivery of pending runs, out of wake_sync_delivery so the
-- wake-up, the dispatch job and the pg_net job share it:
--  * due runs only (a retry waits for its not_before), of enabled pg_net pairs, oldest first;
--  * flow control: a capped type (integration_types.max_concurrent_runs) sends no more than
--    its cap minus its runs in flight, under the type's lock (lock_type_cap); other types go on;
--  * at most 50 runs per call: each net.http_post runs in its own sub-transaction (one
--    failing row fails its run with delivery_error, the others go on), and a transaction
--    keeps below the 64 sub-transactions Postgres tracks cheaply. Callers loop (the pg_cron
--    jobs commit between calls);
--  * signed per Standard Webhooks with the Vault secret settings.webhook_secret_name;
--    Authorization: Bearer <Vault settings.gateway_key_secret_name> when set; never the
--    service-role key. The URL rules are checked again (a row written before 0.3).
-- A run that cannot be sent ends failed at once through the one finish path:
-- pg_net_unavailable, no_endpoint, url_not_allowed, webhook_secret_missing, delivery_error.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.send_pg_net_runs(
  run_ids uuid[] DEFAULT NULL,
  OUT handled integer,
  OUT failed integer
)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  c_max CONSTANT integer := 50;
  v_now timestamptz := integration_ops.clock();
  v_settings integration_ops.settings;
  v_http regprocedure;
  v_secret text;
  v_gateway text;
  v_type record;
  v_slots integer;
  v_run record;
  v_body jsonb;
  v_key text;
  v_headers jsonb;
  v_problem text;
  v_request_id bigint;
BEGIN
  handled := 0;
  failed := 0;
  -- no pg_net pair at all: O(1) through the partial index
  IF NOT EXISTS (SELECT FROM public.organization_integrations AS x WHERE x.delivery = 'pg_net') THEN
    RETURN;
  END IF;
  v_settings := integration_ops.settings_row();
  v_http := to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)');

  FOR v_type IN
    SELECT t.integration_type, t.max_concurrent_runs FROM public.integration_types AS t
     ORDER BY t.integration_type
  LOOP
    EXIT WHEN handled >= c_max;
    v_slots := c_max - handled;
    IF v_type.max_concurrent_runs IS NOT NULL THEN
      PERFORM integration_ops.lock_type_cap(v_type.integration_type);
      SELECT least(v_slots, v_type.max_concurrent_runs - count(*)) INTO v_slots
        FROM public.sync_run_log AS r
       WHERE r.status = 'running' AND r.integration_type = v_type.integration_type;
    END IF;
    CONTINUE WHEN v_slots <= 0;

    FOR v_run IN
      SELECT r.id, r.org_id, r.integration_type, r.triggered_by, r.scheduled_for,
             r.idempotency_key, oi.endpoint_url
        FROM public.organization_integrations AS oi
        JOIN public.sync_run_log AS r
          ON r.org_id = oi.org_id AND r.integration_type = oi.integration_type
         AND r.status = 'pending'
       WHERE oi.delivery = 'pg_net' AND oi.enabled
         AND oi.integration_type = v_type.integration_type
         AND coalesce(r.not_before, r.created_at) <= v_now
         AND (send_pg_net_runs.run_ids IS NULL OR r.id = ANY (send_pg_net_runs.run_ids))
       ORDER BY coalesce(r.not_before, r.created_at), r.id
       LIMIT v_slots
         FOR UPDATE OF r SKIP LOCKED
    LOOP
      handled := handled + 1;
      v_problem := NULL;
      IF v_http IS NULL THEN
        PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL, 'pg_net_unavailable',
          'Delivery is pg_net but the pg_net extension (schema net) is not installed.');
        failed := failed + 1;
        CONTINUE;
      END IF;
      IF v_run.endpoint_url IS NULL THEN
        PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL, 'no_endpoint',
          'Delivery is pg_net but the integration has no endpoint_url.');
        failed := failed + 1;
        CONTINUE;
      END IF;
      v_problem := integration_ops.url_problem(v_run.endpoint_url, v_settings.allowed_http_hosts);
      IF v_problem IS NOT NULL THEN
        PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL, 'url_not_allowed',
          'endpoint_url is refused: ' || v_problem || ' (settings.allowed_http_hosts).');
        failed := failed + 1;
        CONTINUE;
      END IF;
      IF v_secret IS NULL THEN
        v_secret := integration_ops.vault_secret(v_settings.webhook_secret_name);
        v_gateway := integration_ops.vault_secret(v_settings.gateway_key_secret_name);
      END IF;
      v_key := coalesce(v_run.idempotency_key, v_run.id::text);
      v_body := jsonb_build_object(
        'run_id', v_run.id, 'org_id', v_run.org_id, 'integration_type', v_run.integration_type,
        'triggered_by', v_run.triggered_by, 'scheduled_for', v_run.scheduled_for,
        'idempotency_key', v_key);
      -- pg_net sends convert_to(body::text, 'UTF8'): the signature covers exactly that text
      v_headers := integration_ops.webhook_headers(v_key, v_body::text, v_secret, v_gateway,
                                                   pg_catalog.clock_timestamp());
      IF v_headers IS NULL THEN
        PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL, 'webhook_secret_missing',
          format('pg_net signs its calls with the Vault secret named %s (settings.webhook_secret_name, whsec_<base64>): it is missing or malformed.',
                 left(v_settings.webhook_secret_name, 100)));
        failed := failed + 1;
        CONTINUE;
      END IF;
      v_headers := v_headers || jsonb_build_object('Content-Type', 'application/json',
                                                   'Idempotency-Key', v_key);
      BEGIN
        EXECUTE format('SELECT %s(url => $1, body => $2, headers => $3, timeout_milliseconds => $4)',
                       v_http::oid::regproc)
          INTO v_request_id
          USING v_run.endpoint_url, v_body, v_headers,
                (extract(epoch FROM v_settings.pg_net_timeout) * 1000)::integer;
      EXCEPTION WHEN OTHERS THEN
        PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL, 'delivery_error',
          'net.http_post failed: ' || SQLERRM);
        failed := failed + 1;
        CONTINUE;
      END;
      UPDATE public.sync_run_log AS r
         SET status = 'running', started_at = v_now, heartbeat_at = v_now, worker_id = 'pg_net',
             net_request_id = v_request_id
       WHERE r.id = v_run.id;
    END LOOP;
  END LOOP;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.send_pg_net_runs(uuid[]) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.send_pg_net_runs(uuid[]) IS
  'Internal: net.http_post of up to 50 due pending runs of enabled pg_net pairs (of run_ids, or any), oldest first, within each type''s max_concurrent_runs, signed (Standard Webhooks, Vault settings.webhook_secret_name); a run that cannot be sent ends failed at once. Returns how many runs it handled and how many of them failed.';

COMMIT;
