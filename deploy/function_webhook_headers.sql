-- Deploy integration-sync:function_webhook_headers to pg
-- requires: function_hmac_sha256
-- 0.3 (issue 21, DESIGN §13): the Standard Webhooks headers of one call pg_net makes (the
-- worker computes the same in Python): webhook-id, webhook-timestamp (seconds since the
-- epoch) and webhook-signature = "v1," || base64(HMAC-SHA256(key, id || '.' || timestamp
-- || '.' || body)), key being the base64 part of the secret "whsec_<base64>"; plus
-- Authorization: Bearer <gateway key> when one is given (the anon/publishable key for
-- Supabase's gateway; never the service-role key). NULL when the secret is missing or not
-- of the whsec_ form (the caller fails the delivery, naming the setting).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.webhook_headers(
  webhook_id text,
  body text,
  secret text,
  gateway_key text,
  sent_at timestamptz
)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_key bytea;
  v_timestamp text := floor(extract(epoch FROM webhook_headers.sent_at))::bigint::text;
  v_headers jsonb;
BEGIN
  IF webhook_headers.secret IS NULL
     OR webhook_headers.secret !~ '^whsec_[A-Za-z0-9+/]+={0,2}$'
     OR length(webhook_headers.secret) % 4 <> 2 THEN   -- 'whsec_' + whole base64 quanta
    RETURN NULL;
  END IF;
  v_key := decode(substr(webhook_headers.secret, 7), 'base64');
  v_headers := jsonb_build_object(
    'webhook-id', webhook_headers.webhook_id,
    'webhook-timestamp', v_timestamp,
    'webhook-signature', 'v1,' || replace(encode(integration_ops.hmac_sha256(v_key,
        convert_to(webhook_headers.webhook_id || '.' || v_timestamp || '.'
                   || coalesce(webhook_headers.body, ''), 'UTF8')), 'base64'), E'\n', ''));
  IF webhook_headers.gateway_key IS NOT NULL THEN
    v_headers := v_headers || jsonb_build_object('Authorization', 'Bearer ' || webhook_headers.gateway_key);
  END IF;
  RETURN v_headers;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.webhook_headers(text, text, text, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.webhook_headers(text, text, text, text, timestamptz) IS
  'Internal: Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature v1) for one pg_net call, plus Authorization: Bearer <gateway key> when given; NULL without a valid whsec_ secret.';

COMMIT;
