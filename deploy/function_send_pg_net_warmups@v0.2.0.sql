-- Deploy integration-sync:function_send_pg_net_warmups to pg
-- requires: function_claim_warmups table_settings_engine_tunables
-- Warm-ups of pg_net pairs (DESIGN §12 "Cold starts"), called by the pg_cron job
-- integration_send_pg_net_warmups: first records the answers of earlier pg_net warm-ups
-- (net._http_response → integration_warmups.answered_at), then claims the due warm-ups
-- (integration_ops.take_warmups, delivery pg_net) and sends one net.http_get each, with the
-- Authorization header pg_net deliveries use (Vault secret settings.pg_net_vault_secret).
-- pg_net (schema net) and Vault are looked up at run time, as wake_sync_delivery does:
-- without pg_net this does nothing. Never creates a run, never touches health status.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.send_pg_net_warmups(lookahead interval DEFAULT interval '0')
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_get regprocedure := to_regprocedure('net.http_get(text,jsonb,jsonb,integer)');
  v_responses regclass := to_regclass('net._http_response');
  v_vault regclass := to_regclass('vault.decrypted_secrets');
  v_timeout_ms integer;
  v_secret_name text;
  v_key text;
  v_pair record;
  v_request_id bigint;
  v_sent integer := 0;
BEGIN
  IF v_responses IS NOT NULL THEN
    EXECUTE format(
      'UPDATE integration_ops.integration_warmups AS w
          SET answered_at = r.created, http_status = r.status_code, net_request_id = NULL
         FROM %s AS r
        WHERE w.net_request_id IS NOT NULL AND r.id = w.net_request_id
          AND r.status_code IS NOT NULL', v_responses);
  END IF;
  IF v_get IS NULL OR NOT EXISTS (
       SELECT FROM public.organization_integrations AS x
        WHERE x.warmup_url IS NOT NULL AND x.delivery = 'pg_net') THEN
    RETURN 0;
  END IF;

  SELECT (extract(epoch FROM s.pg_net_timeout) * 1000)::integer, s.pg_net_vault_secret
    INTO v_timeout_ms, v_secret_name
    FROM integration_ops.settings_row() AS s;
  IF v_vault IS NOT NULL THEN
    EXECUTE format('SELECT s.decrypted_secret FROM %s AS s WHERE s.name = $1 LIMIT 1', v_vault)
      INTO v_key USING v_secret_name;
  END IF;

  FOR v_pair IN
    SELECT t.org_id, t.integration_type, t.warmup_url
      FROM integration_ops.take_warmups('pg_net', 'pg_net', 1000, coalesce(lookahead, interval '0')) AS t
  LOOP
    BEGIN
      EXECUTE format('SELECT %s(url => $1, headers => $2, timeout_milliseconds => $3)',
                     v_get::oid::regproc)
        INTO v_request_id
        USING v_pair.warmup_url,
              jsonb_strip_nulls(jsonb_build_object('Authorization', 'Bearer ' || v_key)),
              v_timeout_ms;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'integration warm-up of % for org % not sent: %',
        v_pair.integration_type, v_pair.org_id, SQLERRM;
      CONTINUE;
    END;
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
  'pg_cron (integration_send_pg_net_warmups): records answers of earlier pg_net warm-ups (net._http_response -> integration_warmups.answered_at), then sends one net.http_get to warmup_url (Authorization: Bearer <Vault secret settings.pg_net_vault_secret>) for each enabled scheduled pg_net pair whose next period starts within settings.warmup_lead + lookahead, once per period. Returns the number sent; 0 without pg_net. Creates no run, changes no health status.';

COMMIT;
