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
  PERFORM set_config('request.jwt.claims', v_claims::text, true);
  PERFORM set_config('role', 'authenticated', true);
END
$$;

-- Arbitrary claims for the authenticated role (e.g. a missing sub).
CREATE OR REPLACE FUNCTION tests.authenticate_with_claims(claims jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', claims::text, true);
  PERFORM set_config('role', 'authenticated', true);
END
$$;

CREATE OR REPLACE FUNCTION tests.authenticate_as_service_role()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', '{"role":"service_role"}', true);
  PERFORM set_config('role', 'service_role', true);
END
$$;

CREATE OR REPLACE FUNCTION tests.authenticate_as_anon()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', '{"role":"anon"}', true);
  PERFORM set_config('role', 'anon', true);
END
$$;

CREATE OR REPLACE FUNCTION tests.authenticate_as_worker()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', '', true);
  PERFORM set_config('role', 'integration_worker', true);
END
$$;

-- Back to the test's own (superuser) session role, claims cleared.
CREATE OR REPLACE FUNCTION tests.clear_authentication()
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM set_config('request.jwt.claims', '', true);
  PERFORM set_config('role', 'none', true);
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO PUBLIC;

-- pg_net stand-in ------------------------------------------------------------------------
-- pg_net cannot be installed on CI machines. Call this inside a test transaction (it rolls
-- back with it): when the real extension is absent it creates a `net` schema with pg_net's
-- documented signatures that only records requests (net.http_request_queue) and lets the
-- test insert responses (net._http_response). Returns false, creating nothing, when the
-- real pg_net is installed: tests then run against it.
CREATE OR REPLACE FUNCTION tests.install_pg_net_standin()
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
  IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_net') THEN
    RETURN false;
  END IF;
  CREATE SCHEMA net;
  CREATE TABLE net.http_request_queue (
    id bigserial PRIMARY KEY, method text NOT NULL, url text NOT NULL, headers jsonb NOT NULL,
    body bytea, timeout_milliseconds integer NOT NULL);
  CREATE TABLE net._http_response (
    id bigint, status_code integer, content_type text, headers jsonb, content text,
    timed_out boolean, error_msg text, created timestamptz NOT NULL DEFAULT now());
  CREATE FUNCTION net.http_post(url text, body jsonb DEFAULT '{}'::jsonb, params jsonb DEFAULT '{}'::jsonb,
                                headers jsonb DEFAULT '{"Content-Type": "application/json"}'::jsonb,
                                timeout_milliseconds integer DEFAULT 5000)
  RETURNS bigint
  LANGUAGE sql
  AS $fn$
    INSERT INTO net.http_request_queue (method, url, headers, body, timeout_milliseconds)
    VALUES ('POST', url, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
    RETURNING id
  $fn$;
  GRANT USAGE ON SCHEMA net TO postgres, service_role;
  GRANT ALL ON ALL TABLES IN SCHEMA net TO postgres;
  GRANT ALL ON ALL SEQUENCES IN SCHEMA net TO postgres;
  GRANT EXECUTE ON FUNCTION net.http_post(text, jsonb, jsonb, jsonb, integer) TO postgres;
  RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION tests.install_pg_net_standin() TO PUBLIC;
