-- Deploy integration-sync:function_jwt_claims to pg
-- requires: function_claim_helpers
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_claim_helpers. Reverting restores that definition.
-- The request's claims as a JSON object, or NULL when absent, not JSON, or not an object.
-- Same source as Supabase's auth.jwt(): request.jwt.claim, else request.jwt.claims.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.jwt_claims()
RETURNS jsonb
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
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

REVOKE ALL ON FUNCTION integration_ops.jwt_claims() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_claims() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_claims() IS
  'The request JWT claims (request.jwt.claim, else request.jwt.claims) as a JSON object; NULL when absent, not JSON or not an object (never an error).';

COMMIT;
