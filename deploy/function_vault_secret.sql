-- Deploy integration-sync:function_vault_secret to pg
-- requires: schema_integration_ops
-- 0.3: one reader of Supabase Vault for the pg_net paths (sync calls, warm-ups): the
-- decrypted secret of that name, NULL when there is none or Vault is not installed (looked
-- up at run time, so this deploys and works without Vault).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.vault_secret(name text)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_view regclass := to_regclass('vault.decrypted_secrets');
  v_secret text;
BEGIN
  IF v_view IS NULL OR vault_secret.name IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT s.decrypted_secret FROM %s AS s WHERE s.name = $1 LIMIT 1', v_view)
    INTO v_secret USING vault_secret.name;
  RETURN v_secret;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.vault_secret(text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.vault_secret(text) IS
  'Internal: the decrypted Vault secret of that name, NULL when missing or without Vault. No API role may call it.';

COMMIT;
