-- Deploy integration-sync:function_send_pg_net_warmups to pg
-- requires: function_send_pg_net_warmups@v0.2.0 function_webhook_headers function_vault_secret function_url_problem table_settings_security_tunables function_take_warmups
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- Warm-ups of pg_net pairs (DESIGN §12 "Cold starts"), called by the pg_cron job
-- integration_send_pg_net_warmups: first records the answers of earlier pg_net warm-ups
-- (net._http_response → integration_warmups.answered_at), then claims the due warm-ups
-- (integration_ops.take_warmups, delivery pg_net) and sends one net.http_get each, with the
-- Authorization header pg_net deliveries use (Vault secret settings.pg_net_vault_secret).
-- pg_net (schema net) and Vault are looked up at run time, as wake_sync_delivery does:
-- without pg_net this does nothing. Never creates a run, never touches health status.
-- 0.3 (issues 21, 22, 24): signed GETs (Standard Webhooks) with the gateway key, never the
-- service-role key; answers read from new responses only (pg_net's `created` index);
-- no sub-transaction per row; the job switches itself off when no pair needs it (the
-- trigger on organization_integrations only switches it on, without a global lock).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.send_pg_net_warmups(lookahead interval DEFAULT interval '0')
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_get regprocedure := to_regprocedure('net.http_get(text,jsonb,jsonb,integer)');
  v_responses regclass := to_regclass('net._http_response');
  v_settings integration_ops.settings;
  v_since timestamptz;
  v_secret text;
  v_gateway text;
  v_headers jsonb;
  v_pair record;
  v_request_id bigint;
  v_sent integer := 0;
  v_job bigint;
BEGIN
  v_settings := integration_ops.settings_row();
  IF v_responses IS NOT NULL THEN
    -- Answers of earlier warm-ups: only responses newer than the oldest unanswered warm-up
    -- (a range of pg_net's index on `created`). A warm-up unanswered for longer than ten
    -- pg_net timeouts is given up (pg_net drops old responses), so the range stays short.
    SELECT min(w.claimed_at) INTO v_since
      FROM integration_ops.integration_warmups AS w WHERE w.net_request_id IS NOT NULL;
    IF v_since IS NOT NULL THEN
      EXECUTE format(
        'UPDATE integration_ops.integration_warmups AS w
            SET answered_at = r.created, http_status = r.status_code, net_request_id = NULL
           FROM %s AS r
          WHERE w.net_request_id IS NOT NULL AND r.id = w.net_request_id
            AND r.created >= $1 AND r.status_code IS NOT NULL', v_responses)
        USING v_since - interval '1 second';
      UPDATE integration_ops.integration_warmups AS w
         SET net_request_id = NULL
       WHERE w.net_request_id IS NOT NULL
         AND w.claimed_at < integration_ops.clock() - v_settings.pg_net_timeout * 10;
    END IF;
  END IF;

  IF v_get IS NULL OR NOT EXISTS (
       SELECT FROM public.organization_integrations AS x
        WHERE x.warmup_url IS NOT NULL AND x.delivery = 'pg_net' AND x.enabled) THEN
    -- No pair to warm: the job switches itself off (0.3; a write that needs it switches it
    -- on again, see integration_ops.sync_warmup_job_activity). Never while such a write is
    -- in flight: those hold the job's key shared; this try-lock wants it alone.
    IF pg_try_advisory_xact_lock(hashtext('integration_send_pg_net_warmups')) THEN
      SELECT j.jobid INTO v_job FROM cron.job AS j
       WHERE j.jobname = 'integration_send_pg_net_warmups' AND j.active;
      IF v_job IS NOT NULL THEN
        PERFORM cron.alter_job(job_id => v_job, active => false);
      END IF;
    END IF;
    RETURN 0;
  END IF;

  v_secret := integration_ops.vault_secret(v_settings.webhook_secret_name);
  v_gateway := integration_ops.vault_secret(v_settings.gateway_key_secret_name);
  -- No sub-transaction per row (0.3, DESIGN §13 "Limits"): net.http_get only queues the
  -- request, and a URL that breaks the rules (a row of 0.2) is skipped, not sent.
  FOR v_pair IN
    SELECT t.org_id, t.integration_type, t.warmup_url, t.warmed_for
      FROM integration_ops.take_warmups('pg_net', 'pg_net', 1000, coalesce(lookahead, interval '0')) AS t
  LOOP
    IF integration_ops.url_problem(v_pair.warmup_url, v_settings.allowed_http_hosts) IS NOT NULL THEN
      CONTINUE;
    END IF;
    -- Signed like every call (Standard Webhooks; an empty body). Without the secret the
    -- warm-up goes unsigned: the function answers 401, which still wakes it up.
    v_headers := coalesce(integration_ops.webhook_headers(
                   'warmup:' || v_pair.org_id::text || ':' || v_pair.integration_type || ':'
                     || to_char(v_pair.warmed_for AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   '', v_secret, v_gateway, clock_timestamp()),
                 CASE WHEN v_gateway IS NOT NULL
                      THEN jsonb_build_object('Authorization', 'Bearer ' || v_gateway)
                      ELSE '{}'::jsonb END);
    EXECUTE format('SELECT %s(url => $1, headers => $2, timeout_milliseconds => $3)',
                   v_get::oid::regproc)
      INTO v_request_id
      USING v_pair.warmup_url, v_headers,
            (extract(epoch FROM v_settings.pg_net_timeout) * 1000)::integer;
    UPDATE integration_ops.integration_warmups AS w
       SET net_request_id = v_request_id
     WHERE w.org_id = v_pair.org_id AND w.integration_type = v_pair.integration_type;
    v_sent := v_sent + 1;
  END LOOP;
  RETURN v_sent;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.send_pg_net_warmups(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.send_pg_net_warmups(interval) TO service_role;
COMMENT ON FUNCTION integration_ops.send_pg_net_warmups(interval) IS
  'pg_cron (integration_send_pg_net_warmups): records answers of earlier pg_net warm-ups (only responses newer than the oldest unanswered one), then sends one signed net.http_get (Standard Webhooks, webhook-id warmup:<org>:<type>:<period>; Authorization: Bearer <Vault settings.gateway_key_secret_name> when set, never the service-role key) to warmup_url for each enabled scheduled pg_net pair whose next period starts within settings.warmup_lead + lookahead, once per period. Switches its job off when no enabled pg_net pair has a warmup_url. Returns the number sent; 0 without pg_net. Creates no run, changes no health status.';

COMMIT;
