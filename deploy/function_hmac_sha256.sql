-- Deploy integration-sync:function_hmac_sha256 to pg
-- requires: schema_integration_ops
-- 0.3 (issue 21): HMAC-SHA256 (RFC 2104) over Postgres's built-in sha256(), for the Standard
-- Webhooks signature of pg_net calls: no pgcrypto needed, nothing looked up at run time.
-- tests/test_webhook_signing_sql.py checks it against Python's hmac and against the
-- reference library standardwebhooks.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.hmac_sha256(key bytea, message bytea)
RETURNS bytea
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_key bytea := hmac_sha256.key;
  v_inner bytea;
  v_outer bytea;
BEGIN
  IF length(v_key) > 64 THEN
    v_key := sha256(v_key);
  END IF;
  v_key := v_key || decode(repeat('00', 64 - length(v_key)), 'hex');
  v_inner := v_key;
  v_outer := v_key;
  FOR i IN 0..63 LOOP
    v_inner := set_byte(v_inner, i, get_byte(v_key, i) # 54);   -- 0x36
    v_outer := set_byte(v_outer, i, get_byte(v_key, i) # 92);   -- 0x5c
  END LOOP;
  RETURN sha256(v_outer || sha256(v_inner || hmac_sha256.message));
END
$$;

REVOKE ALL ON FUNCTION integration_ops.hmac_sha256(bytea, bytea) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.hmac_sha256(bytea, bytea) IS
  'Internal: HMAC-SHA256(key, message) (RFC 2104) over the built-in sha256().';

COMMIT;
