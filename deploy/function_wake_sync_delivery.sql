-- Deploy integration-sync:function_wake_sync_delivery to pg
-- requires: function_wake_sync_delivery@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.2: a delivery that fails at once ends its run through the one finish path (so passive
-- health hears of it); timestamps from the engine's clock; settings read loudly.
-- The one wake-up of the engine, called by the dispatcher and the manual trigger alike:
--  * worker pairs: NOTIFY integration_sync_wakeup (payload: the run id when there is one
--    run, else empty); the worker claims with claim_sync_runs();
--  * pg_net pairs: net.http_post(...) per run, the run turned running with the request id.
-- pg_net (schema `net`) and Vault (schema `vault`) are looked up at run time and called
-- through dynamic SQL, so this deploys and works without them.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.wake_sync_delivery(run_ids uuid[])
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- pg_net's and Vault's objects, looked up at the first pg_net run only (a manual trigger
  -- of a worker pair pays for no catalog lookup by name).
  v_looked_up boolean := false;
  v_http regprocedure;
  v_vault regclass;
  v_timeout_ms integer;
  v_secret_name text;
  v_key text;
  v_run record;
  v_request_id bigint;
  v_failed integer := 0;
  v_worker_runs uuid[];
BEGIN
  IF run_ids IS NULL OR cardinality(run_ids) = 0 THEN
    RETURN 0;
  END IF;

  -- pg_net deliveries ---------------------------------------------------------------
  -- (skipped in O(1) through the partial index when no pair is delivered by pg_net)
  FOR v_run IN
    SELECT r.id, r.org_id, r.integration_type, r.triggered_by, r.scheduled_for, r.idempotency_key,
           oi.endpoint_url
      FROM public.sync_run_log AS r
      JOIN public.organization_integrations AS oi
        ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
     WHERE EXISTS (SELECT FROM public.organization_integrations AS x WHERE x.delivery = 'pg_net')
       AND r.id = ANY (run_ids) AND r.status = 'pending' AND oi.delivery = 'pg_net'
     ORDER BY r.created_at, r.id
       FOR UPDATE OF r
  LOOP
    IF NOT v_looked_up THEN
      v_http := to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)');
      v_vault := to_regclass('vault.decrypted_secrets');
      v_looked_up := true;
    END IF;
    IF v_http IS NULL OR v_run.endpoint_url IS NULL THEN
      PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL,
        CASE WHEN v_http IS NULL THEN 'pg_net_unavailable' ELSE 'no_endpoint' END,
        CASE WHEN v_http IS NULL
          THEN 'Delivery is pg_net but the pg_net extension (schema net) is not installed.'
          ELSE 'Delivery is pg_net but the integration has no endpoint_url.' END);
      v_failed := v_failed + 1;
      CONTINUE;
    END IF;

    IF v_timeout_ms IS NULL THEN
      SELECT (extract(epoch FROM s.pg_net_timeout) * 1000)::integer, s.pg_net_vault_secret
        INTO v_timeout_ms, v_secret_name
        FROM integration_ops.settings_row() AS s;
      IF v_vault IS NOT NULL THEN
        EXECUTE format('SELECT s.decrypted_secret FROM %s AS s WHERE s.name = $1 LIMIT 1', v_vault)
          INTO v_key USING v_secret_name;
      END IF;
    END IF;

    BEGIN
      EXECUTE format('SELECT %s(url => $1, body => $2, headers => $3, timeout_milliseconds => $4)',
                     v_http::oid::regproc)
        INTO v_request_id
        USING v_run.endpoint_url,
              jsonb_build_object(
                'run_id', v_run.id, 'org_id', v_run.org_id, 'integration_type', v_run.integration_type,
                'triggered_by', v_run.triggered_by, 'scheduled_for', v_run.scheduled_for,
                'idempotency_key', v_run.idempotency_key),
              jsonb_strip_nulls(jsonb_build_object(
                'Content-Type', 'application/json',
                'Authorization', 'Bearer ' || v_key,
                'Idempotency-Key', coalesce(v_run.idempotency_key, v_run.id::text))),
              v_timeout_ms;
    EXCEPTION WHEN OTHERS THEN
      PERFORM integration_ops.finish_sync_run(v_run.id, 'failed', NULL, NULL, 'delivery_error',
        'net.http_post failed: ' || SQLERRM);
      v_failed := v_failed + 1;
      CONTINUE;
    END;

    UPDATE public.sync_run_log AS r
       SET status = 'running', started_at = integration_ops.clock(), heartbeat_at = integration_ops.clock(), worker_id = 'pg_net',
           net_request_id = v_request_id
     WHERE r.id = v_run.id AND r.status = 'pending';
  END LOOP;

  -- Worker deliveries: one NOTIFY (the worker polls as a backstop) ----------------------
  v_worker_runs := ARRAY(
    SELECT r.id
      FROM public.sync_run_log AS r
      LEFT JOIN public.organization_integrations AS oi
        ON oi.org_id = r.org_id AND oi.integration_type = r.integration_type
     WHERE r.id = ANY (run_ids) AND r.status = 'pending'
       AND coalesce(oi.delivery, 'worker') = 'worker');
  IF cardinality(v_worker_runs) > 0 THEN
    PERFORM pg_notify('integration_sync_wakeup',
      CASE WHEN cardinality(v_worker_runs) = 1 THEN v_worker_runs[1]::text ELSE '' END);
  END IF;
  RETURN v_failed;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.wake_sync_delivery(uuid[]) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.wake_sync_delivery(uuid[]) IS
  'Internal: wake delivery of new pending runs (dispatcher and manual trigger). Worker pairs: NOTIFY integration_sync_wakeup. pg_net pairs: net.http_post with the DESIGN §11 body and headers (Authorization from vault.decrypted_secrets named settings.pg_net_vault_secret when Vault exists), run turned running with net_request_id; without pg_net the run fails with pg_net_unavailable. Returns the number of runs whose delivery failed (ended failed through finish_sync_run: pg_net_unavailable, no_endpoint, delivery_error).';

COMMIT;
