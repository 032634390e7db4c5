-- Revert integration-sync:function_jwt_claims from pg: restore the 0.2 definition
-- (created by function_claim_helpers), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

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

REVOKE ALL ON FUNCTION integration_ops.jwt_claims() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.jwt_claims() FROM anon, integration_worker;
GRANT EXECUTE ON FUNCTION integration_ops.jwt_claims() TO authenticated, service_role;
COMMENT ON FUNCTION integration_ops.jwt_claims() IS
  'The request JWT claims (request.jwt.claim, else request.jwt.claims) as a JSON object; NULL when absent, not JSON or not an object (never an error).';

COMMIT;
