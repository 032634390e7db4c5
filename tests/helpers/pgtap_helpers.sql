-- Shared pgTAP helpers in a `tests` schema (in the manner of basejump's
-- supabase-test-helpers). Installed by the test harness as the superuser, never by a
-- migration. Re-runnable.

CREATE EXTENSION IF NOT EXISTS pgtap WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS plpgsql_check WITH SCHEMA extensions;

CREATE SCHEMA IF NOT EXISTS tests;
GRANT USAGE ON SCHEMA tests TO PUBLIC;

-- A login the Python worker tests use: it holds integration_worker only.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'worker_login') THEN
    CREATE ROLE worker_login LOGIN;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'integration_worker') THEN
    GRANT integration_worker TO worker_login;
  END IF;
END
$$;

-- Users ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION tests.create_user(identifier text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_id uuid;
BEGIN
  SELECT id INTO v_id FROM auth.users WHERE raw_user_meta_data ->> 'test_identifier' = identifier;
  IF v_id IS NULL THEN
    INSERT INTO auth.users (id, aud, role, email, raw_user_meta_data)
    VALUES (gen_random_uuid(), 'authenticated', 'authenticated', identifier || '@test.local',
            jsonb_build_object('test_identifier', identifier))
    RETURNING id INTO v_id;
  END IF;
  RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION tests.get_user_id(identifier text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_id uuid;
BEGIN
  SELECT id INTO v_id FROM auth.users WHERE raw_user_meta_data ->> 'test_identifier' = identifier;
  IF v_id IS NULL THEN
    RAISE EXCEPTION 'tests.get_user_id: no test user %', identifier;
  END IF;
  RETURN v_id;
END
$$;

-- A member with a role in an org (creates the user if needed).
CREATE OR REPLACE FUNCTION tests.add_member(org_id uuid, identifier text, role text)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_id uuid := tests.create_user(identifier);
BEGIN
  INSERT INTO integration_ops.org_members (org_id, user_id, role)
  VALUES (add_member.org_id, v_id, add_member.role)
  ON CONFLICT ON CONSTRAINT org_members_pkey DO UPDATE SET role = EXCLUDED.role;
  RETURN v_id;
END
$$;

-- Configure an integration for an org (service-role write, done as the superuser).
CREATE OR REPLACE FUNCTION tests.add_integration(
  org_id uuid,
  integration_type text,
  sync_interval interval DEFAULT NULL,
  endpoint_url text DEFAULT 'http://127.0.0.1:9/sync',
  enabled boolean DEFAULT true
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.organization_integrations (org_id, integration_type, sync_interval, endpoint_url, enabled)
  VALUES (add_integration.org_id, add_integration.integration_type, add_integration.sync_interval,
          add_integration.endpoint_url, add_integration.enabled);
END
$$;

-- The standard cast of the role matrices: org A (aaaaaaaa-…-001) has an admin
-- (alice_admin), a coordinator (carl_coord) and a viewer (vera_viewer); org B
-- (bbbbbbbb-…-002) has an admin (bob_admin); gina_global has no membership (tests give
-- her user_role = global_admin in her claims).
CREATE OR REPLACE FUNCTION tests.add_standard_members()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM tests.add_member('aaaaaaaa-0000-0000-0000-000000000001', 'alice_admin', 'admin');
  PERFORM tests.add_member('aaaaaaaa-0000-0000-0000-000000000001', 'carl_coord', 'coordinator');
  PERFORM tests.add_member('aaaaaaaa-0000-0000-0000-000000000001', 'vera_viewer', 'viewer');
  PERFORM tests.add_member('bbbbbbbb-0000-0000-0000-000000000002', 'bob_admin', 'admin');
  PERFORM tests.create_user('gina_global');
END
$$;

-- The standard members plus integrations: org A has xledger and bufdir, org B dynamics.
CREATE OR REPLACE FUNCTION tests.seed_two_orgs()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM tests.add_standard_members();
  PERFORM tests.add_integration('aaaaaaaa-0000-0000-0000-000000000001', 'xledger');
  PERFORM tests.add_integration('aaaaaaaa-0000-0000-0000-000000000001', 'bufdir');
  PERFORM tests.add_integration('bbbbbbbb-0000-0000-0000-000000000002', 'dynamics');
END
$$;

-- Emulate PostgREST requests: SET LOCAL ROLE + request.jwt.claims, transaction-local.
-- One place sets them; the helpers below only choose the role and the claims.
CREATE OR REPLACE FUNCTION tests.set_request(request_role text, claims text)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', claims, true);
  PERFORM set_config('role', request_role, true);
END
$$;

CREATE OR REPLACE FUNCTION tests.authenticate_as(identifier text, org_id uuid DEFAULT NULL, user_role text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  v_claims jsonb := jsonb_build_object('sub', tests.get_user_id(identifier), 'role', 'authenticated');
BEGIN
  IF org_id IS NOT NULL THEN
    v_claims := v_claims || jsonb_build_object('org_id', org_id);
  END IF;
  IF user_role IS NOT NULL THEN
    v_claims := v_claims || jsonb_build_object('user_role', user_role);
  END IF;
  PERFORM tests.set_request('authenticated', v_claims::text);
END
$$;

-- Arbitrary claims for the authenticated role (e.g. a missing sub).
CREATE OR REPLACE FUNCTION tests.authenticate_with_claims(claims jsonb)
RETURNS void LANGUAGE sql AS $$ SELECT tests.set_request('authenticated', claims::text) $$;

CREATE OR REPLACE FUNCTION tests.authenticate_as_service_role()
RETURNS void LANGUAGE sql AS $$ SELECT tests.set_request('service_role', '{"role":"service_role"}') $$;

CREATE OR REPLACE FUNCTION tests.authenticate_as_anon()
RETURNS void LANGUAGE sql AS $$ SELECT tests.set_request('anon', '{"role":"anon"}') $$;

CREATE OR REPLACE FUNCTION tests.authenticate_as_worker()
RETURNS void LANGUAGE sql AS $$ SELECT tests.set_request('integration_worker', '') $$;

-- Back to the test's own (superuser) session role, claims cleared.
CREATE OR REPLACE FUNCTION tests.clear_authentication()
RETURNS void LANGUAGE sql AS $$ SELECT tests.set_request('none', '') $$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO PUBLIC;

-- pg_net stand-in ------------------------------------------------------------------------
-- pg_net cannot be installed on CI machines. Call this inside a test transaction (it rolls
-- back with it): when the real extension is absent it creates a `net` schema with pg_net's
-- own definitions (pg_net 0.x, sql/pg_net.sql): the domain net.http_method, the enum
-- net.request_status, the composite types net.http_response and net.http_response_result,
-- the unlogged queue net.http_request_queue and response table net._http_response, and
-- net.http_get / net.http_post / net.http_delete / net._http_collect_response with the real
-- signatures, defaults and checks. Requests are only queued (no background worker sends
-- them); tests insert responses into net._http_response themselves. The two helpers pg_net
-- implements in C (_urlencode_string, _encode_url_with_params_array) are written in SQL
-- with the same results. Returns false, creating nothing, when the real pg_net is
-- installed: tests then run against it.
CREATE OR REPLACE FUNCTION tests.install_pg_net_standin()
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_net') THEN
    RETURN false;
  END IF;
  CREATE SCHEMA net;

  CREATE DOMAIN net.http_method AS text
    CHECK (VALUE ILIKE 'get' OR VALUE ILIKE 'post' OR VALUE ILIKE 'delete');
  CREATE TYPE net.request_status AS ENUM ('PENDING', 'SUCCESS', 'ERROR');

  CREATE UNLOGGED TABLE net.http_request_queue (
    id bigserial,
    method net.http_method NOT NULL,
    url text NOT NULL,
    headers jsonb NOT NULL,
    body bytea,
    timeout_milliseconds integer NOT NULL
  );
  CREATE UNLOGGED TABLE net._http_response (
    id bigint,
    status_code integer,
    content_type text,
    headers jsonb,
    content text,
    timed_out boolean,
    error_msg text,
    created timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX ON net._http_response (created);

  CREATE TYPE net.http_response AS (status_code integer, headers jsonb, body text);
  CREATE TYPE net.http_response_result AS (status net.request_status, message text, response net.http_response);

  CREATE FUNCTION net._urlencode_string(string varchar)
  RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  AS $fn$
    SELECT coalesce(string_agg(
             CASE WHEN b.c ~ '^[A-Za-z0-9._~-]$' THEN b.c
                  ELSE upper(regexp_replace(encode(convert_to(b.c, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END,
             '' ORDER BY b.n), '')
      FROM regexp_split_to_table(string, '') WITH ORDINALITY AS b(c, n)
  $fn$;

  CREATE FUNCTION net._encode_url_with_params_array(url text, params_array text[])
  RETURNS text
  LANGUAGE sql IMMUTABLE STRICT
  AS $fn$
    SELECT CASE WHEN cardinality(params_array) = 0 THEN url
                ELSE url || CASE WHEN strpos(url, '?') > 0 THEN '&' ELSE '?' END
                         || array_to_string(params_array, '&') END
  $fn$;

  CREATE FUNCTION net.http_get(
    url text,
    params jsonb DEFAULT '{}'::jsonb,
    headers jsonb DEFAULT '{}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000
  )
  RETURNS bigint
  LANGUAGE plpgsql STRICT VOLATILE PARALLEL SAFE
  AS $fn$
  DECLARE
    request_id bigint;
    params_array text[];
  BEGIN
    SELECT coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
      INTO params_array
      FROM jsonb_each_text(params);
    INSERT INTO net.http_request_queue (method, url, headers, timeout_milliseconds)
    VALUES ('GET', net._encode_url_with_params_array(url, params_array), headers, timeout_milliseconds)
    RETURNING id INTO request_id;
    RETURN request_id;
  END
  $fn$;

  CREATE FUNCTION net.http_post(
    url text,
    body jsonb DEFAULT '{}'::jsonb,
    params jsonb DEFAULT '{}'::jsonb,
    headers jsonb DEFAULT '{"Content-Type": "application/json"}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000
  )
  RETURNS bigint
  LANGUAGE plpgsql VOLATILE PARALLEL SAFE
  AS $fn$
  DECLARE
    request_id bigint;
    params_array text[];
    content_type text;
  BEGIN
    SELECT header_value INTO content_type
      FROM jsonb_each_text(coalesce(headers, '{}'::jsonb)) AS r(header_name, header_value)
     WHERE lower(header_name) = 'content-type'
     LIMIT 1;
    IF content_type IS NULL THEN
      SELECT headers || '{"Content-Type": "application/json"}'::jsonb INTO headers;
    END IF;
    IF content_type <> 'application/json' THEN
      RAISE EXCEPTION 'Content-Type header must be "application/json"';
    END IF;
    SELECT coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
      INTO params_array
      FROM jsonb_each_text(params);
    INSERT INTO net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    VALUES ('POST', net._encode_url_with_params_array(url, params_array), headers,
            convert_to(body::text, 'UTF8'), timeout_milliseconds)
    RETURNING id INTO request_id;
    RETURN request_id;
  END
  $fn$;

  CREATE FUNCTION net.http_delete(
    url text,
    params jsonb DEFAULT '{}'::jsonb,
    headers jsonb DEFAULT '{}'::jsonb,
    timeout_milliseconds integer DEFAULT 5000
  )
  RETURNS bigint
  LANGUAGE plpgsql STRICT VOLATILE PARALLEL SAFE
  AS $fn$
  DECLARE
    request_id bigint;
    params_array text[];
  BEGIN
    SELECT coalesce(array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)), '{}')
      INTO params_array
      FROM jsonb_each_text(params);
    INSERT INTO net.http_request_queue (method, url, headers, timeout_milliseconds)
    VALUES ('DELETE', net._encode_url_with_params_array(url, params_array), headers, timeout_milliseconds)
    RETURNING id INTO request_id;
    RETURN request_id;
  END
  $fn$;

  CREATE FUNCTION net._http_collect_response(request_id bigint, async boolean DEFAULT true)
  RETURNS net.http_response_result
  LANGUAGE plpgsql STRICT VOLATILE PARALLEL SAFE
  AS $fn$
  DECLARE
    rec net._http_response;
    req_exists boolean;
  BEGIN
    IF NOT async THEN
      RAISE EXCEPTION 'the pg_net stand-in has no background worker: only async collection';
    END IF;
    SELECT * INTO rec FROM net._http_response WHERE id = request_id;
    IF rec IS NULL OR rec.error_msg IS NOT NULL THEN
      req_exists := EXISTS (SELECT 1 FROM net.http_request_queue WHERE id = request_id);
      IF req_exists THEN
        RETURN ('PENDING', 'request is pending processing', NULL)::net.http_response_result;
      END IF;
      IF rec IS NOT NULL THEN
        RETURN ('ERROR', coalesce(rec.error_msg, 'unknown failure'), NULL)::net.http_response_result;
      END IF;
      RETURN ('ERROR', 'request matching request_id not found', NULL)::net.http_response_result;
    END IF;
    RETURN ('SUCCESS', 'ok', (rec.status_code, rec.headers, rec.content)::net.http_response)::net.http_response_result;
  END
  $fn$;

  -- Supabase's grants for pg_net.
  GRANT USAGE ON SCHEMA net TO postgres, anon, authenticated, service_role;
  GRANT ALL ON ALL TABLES IN SCHEMA net TO postgres;
  GRANT ALL ON ALL SEQUENCES IN SCHEMA net TO postgres;
  REVOKE ALL ON FUNCTION net.http_get(text, jsonb, jsonb, integer),
    net.http_post(text, jsonb, jsonb, jsonb, integer),
    net.http_delete(text, jsonb, jsonb, integer) FROM PUBLIC;
  GRANT EXECUTE ON FUNCTION net.http_get(text, jsonb, jsonb, integer),
    net.http_post(text, jsonb, jsonb, jsonb, integer),
    net.http_delete(text, jsonb, jsonb, integer) TO postgres, service_role;
  RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION tests.install_pg_net_standin() TO PUBLIC;

-- Supabase Vault stand-in --------------------------------------------------------------------
-- Vault (supabase/vault) is not installable here either. Like the pg_net stand-in: inside a
-- test transaction, when the real extension (supabase_vault) is absent, create `vault` with
-- the real shapes: the table vault.secrets (secret holds the ciphertext), the view
-- vault.decrypted_secrets over it, the unique name index, vault.create_secret(new_secret,
-- new_name, new_description, new_key_id) and vault.update_secret(...), and Vault's grants to
-- postgres. The "encryption" is base64 (a stand-in keeps no keys); the view decrypts it, so
-- callers see exactly what they would see in Supabase. Returns false when the real Vault
-- (or any vault schema) is present.
CREATE OR REPLACE FUNCTION tests.install_vault_standin()
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'supabase_vault')
     OR to_regnamespace('vault') IS NOT NULL THEN
    RETURN false;
  END IF;
  CREATE SCHEMA vault;

  CREATE TABLE vault.secrets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    description text NOT NULL DEFAULT '',
    secret text NOT NULL,
    key_id uuid,
    nonce bytea DEFAULT substring(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex') FROM 1 FOR 24),
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
  );
  CREATE UNIQUE INDEX secrets_name_idx ON vault.secrets USING btree (name) WHERE name IS NOT NULL;
  COMMENT ON TABLE vault.secrets IS 'Table with encrypted `secret` column for storing sensitive information on disk.';

  CREATE VIEW vault.decrypted_secrets AS
  SELECT s.id, s.name, s.description, s.secret,
         CASE WHEN s.secret IS NULL THEN NULL
              ELSE convert_from(decode(s.secret, 'base64'), 'utf8') END AS decrypted_secret,
         s.key_id, s.nonce, s.created_at, s.updated_at
    FROM vault.secrets AS s;

  CREATE FUNCTION vault.create_secret(
    new_secret text,
    new_name text DEFAULT NULL,
    new_description text DEFAULT '',
    new_key_id uuid DEFAULT NULL
  )
  RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
  AS $fn$
  DECLARE
    rec record;
  BEGIN
    INSERT INTO vault.secrets (secret, name, description, key_id)
    VALUES (encode(convert_to(new_secret, 'utf8'), 'base64'), new_name, new_description, new_key_id)
    RETURNING * INTO rec;
    RETURN rec.id;
  END
  $fn$;

  CREATE FUNCTION vault.update_secret(
    secret_id uuid,
    new_secret text DEFAULT NULL,
    new_name text DEFAULT NULL,
    new_description text DEFAULT NULL,
    new_key_id uuid DEFAULT NULL
  )
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
  AS $fn$
  BEGIN
    UPDATE vault.secrets AS s
       SET secret = CASE WHEN new_secret IS NULL THEN s.secret
                         ELSE encode(convert_to(new_secret, 'utf8'), 'base64') END,
           name = coalesce(new_name, s.name),
           description = coalesce(new_description, s.description),
           key_id = coalesce(new_key_id, s.key_id),
           updated_at = CURRENT_TIMESTAMP
     WHERE s.id = secret_id;
  END
  $fn$;

  -- Vault's grants: postgres manages secrets; nobody else.
  REVOKE ALL ON vault.secrets, vault.decrypted_secrets FROM PUBLIC;
  REVOKE ALL ON FUNCTION vault.create_secret(text, text, text, uuid),
    vault.update_secret(uuid, text, text, text, uuid) FROM PUBLIC;
  GRANT USAGE ON SCHEMA vault TO postgres WITH GRANT OPTION;
  GRANT SELECT, DELETE ON vault.secrets TO postgres WITH GRANT OPTION;
  GRANT SELECT ON vault.decrypted_secrets TO postgres WITH GRANT OPTION;
  GRANT EXECUTE ON FUNCTION vault.create_secret(text, text, text, uuid),
    vault.update_secret(uuid, text, text, text, uuid) TO postgres WITH GRANT OPTION;
  RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION tests.install_vault_standin() TO PUBLIC;
