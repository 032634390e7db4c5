-- Deploy integration-sync:function_claim_helpers to pg
-- requires: function_claim_helpers@v0.1.0
-- Read the JWT claims (DESIGN §4, §12) for policies and RPCs.
--
-- 0.2 (issue 14):
-- * Service role = the database role service_role is in effect (the SET ROLE PostgREST
--   does from the verified JWT; inside a SECURITY DEFINER function current_user is the
--   owner, so the session's role setting is read). A `role` claim alone grants nothing.
-- * Claims that are not a JSON object, and a sub/org_id that is not a uuid, read as
--   absent (NULL): never 22P02/22P05 (require_caller turns them into not_authenticated).
-- * Cheap (they are on the path of every RPC and every policy): one parse of the claims
--   per helper call, no nested SQL functions (a SQL function that is not inlined is parsed
--   and planned again on every call: that was most of the 0.1 cost), a uuid check without
--   counted regex repetition. The helpers that API roles call (from policies, from any
--   search_path) pin SET search_path = '' as before. Three internal pieces carry no SET
--   clause: uuid_or_null and is_service_role are SQL expressions the planner inlines
--   into their caller, and jwt_claims is only called from functions that run with an
--   empty search_path (these helpers, the package's definer functions). A function without
--   a SET clause that is called under two different search_paths has its cached plans
--   rebuilt at every switch; one with the clause pays a GUC save/restore on every call.
--   All of them run with the caller's rights and name pg_catalog objects explicitly.
BEGIN;
SET LOCAL lock_timeout = '5s';

-- The request's claims as a JSON object, or NULL when absent, not JSON, or not an object.
-- Same source as Supabase's auth.jwt(): request.jwt.claim, else request.jwt.claims.
CREATE OR REPLACE FUNCTION integration_ops.jwt_claims()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
AS $$
DECLARE
  v_raw text := coalesce(nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
                         nullif(pg_catalog.current_setting('request.jwt.claims', true), ''));
  v_claims jsonb;
BEGIN
  IF v_raw IS NULL THEN
    RETURN NULL;
  END IF;
  BEGIN
    v_claims := v_raw::pg_catalog.jsonb;
  EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
    -- not JSON (22P02), \u0000 (22P05), nested too deep (54001): no claims
    RETURN NULL;
  END;
  IF pg_catalog.jsonb_typeof(v_claims) = 'object' THEN
    RETURN v_claims;
  END IF;
  RETURN NULL;
END
$$;

-- A uuid from text in its canonical form, NULL otherwise (inlinable, no exception block).
-- LIKE fixes the length and the four hyphens' places; the regex (no counted repetition:
-- PostgreSQL runs {8} and {12} ten times slower) admits only hex digits and four hyphens.
CREATE OR REPLACE FUNCTION integration_ops.uuid_or_null(value text)
RETURNS uuid
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
  SELECT CASE WHEN value OPERATOR(pg_catalog.~~) '________-____-____-____-____________'
               AND value OPERATOR(pg_catalog.~)
                   '^[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*-[0-9A-Fa-f]*$'
              THEN value::pg_catalog.uuid END
$$;

CREATE OR REPLACE FUNCTION integration_ops.jwt_uuid_claim(claim text)
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_value text := integration_ops.jwt_claims() OPERATOR(pg_catalog.->>) claim;
BEGIN
  RETURN integration_ops.uuid_or_null(v_value);
END
$$;

-- sub from the claims, else from the per-claim GUC older PostgREST versions set.
CREATE OR REPLACE FUNCTION integration_ops.jwt_sub()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_value text := coalesce(integration_ops.jwt_claims() OPERATOR(pg_catalog.->>) 'sub',
                           nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''));
BEGIN
  RETURN integration_ops.uuid_or_null(v_value);
END
$$;

CREATE OR REPLACE FUNCTION integration_ops.jwt_org_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_value text := integration_ops.jwt_claims() OPERATOR(pg_catalog.->>) 'org_id';
BEGIN
  RETURN integration_ops.uuid_or_null(v_value);
END
$$;

CREATE OR REPLACE FUNCTION integration_ops.is_global_admin()
RETURNS boolean
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = ''
AS $$
DECLARE
  v_claims jsonb := integration_ops.jwt_claims();
  v_sub text;
BEGIN
  IF (v_claims OPERATOR(pg_catalog.->>) 'user_role') IS DISTINCT FROM 'global_admin' THEN
    RETURN false;
  END IF;
  v_sub := coalesce(v_claims OPERATOR(pg_catalog.->>) 'sub',
                    nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''));
  RETURN integration_ops.uuid_or_null(v_sub) IS NOT NULL;
END
$$;

-- The database role service_role is in effect: the session's SET ROLE (what PostgREST
-- sets; unchanged inside SECURITY DEFINER functions) or, in invoker context, current_user.
CREATE OR REPLACE FUNCTION integration_ops.is_service_role()
RETURNS boolean
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
  SELECT pg_catalog.current_setting('role') OPERATOR(pg_catalog.=) 'service_role'
      OR CURRENT_USER OPERATOR(pg_catalog.=) 'service_role'
$$;

REVOKE ALL ON FUNCTION integration_ops.jwt_claims() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.uuid_or_null(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_uuid_claim(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_sub() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_org_id() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.is_global_admin() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.is_service_role() FROM PUBLIC;
-- Policies run as the querying role, so the claim readers are executable by authenticated
-- (they reveal nothing but the caller's own claims). anon gets nothing.
GRANT EXECUTE ON FUNCTION integration_ops.jwt_claims(), integration_ops.uuid_or_null(text),
  integration_ops.jwt_uuid_claim(text), integration_ops.jwt_sub(), integration_ops.jwt_org_id(),
  integration_ops.is_global_admin(), integration_ops.is_service_role()
  TO authenticated, service_role;

COMMENT ON FUNCTION integration_ops.jwt_claims() IS
  'The request JWT claims (request.jwt.claim, else request.jwt.claims) as a JSON object; NULL when absent, not JSON or not an object (never an error).';
COMMENT ON FUNCTION integration_ops.uuid_or_null(text) IS 'The text as a uuid, or NULL when it is not one (never an error).';
COMMENT ON FUNCTION integration_ops.jwt_uuid_claim(text) IS 'A uuid claim of the request JWT, NULL when absent or malformed.';
COMMENT ON FUNCTION integration_ops.jwt_sub() IS 'The caller''s user id (JWT sub), NULL when absent or malformed.';
COMMENT ON FUNCTION integration_ops.jwt_org_id() IS 'The org the session acts for (JWT org_id), NULL when absent or malformed.';
COMMENT ON FUNCTION integration_ops.is_global_admin() IS 'True when the JWT carries user_role = global_admin and a valid sub.';
COMMENT ON FUNCTION integration_ops.is_service_role() IS
  'True when the database role service_role is in effect (the session''s SET ROLE, as PostgREST sets it from the verified JWT, or current_user). A role claim alone grants nothing.';

COMMIT;
