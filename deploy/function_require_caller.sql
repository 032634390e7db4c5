-- Deploy integration-sync:function_require_caller to pg
-- requires: function_authorize
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_authorize. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_caller()
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_claims jsonb;
  v_sub text;
  v_org text;
BEGIN
  IF integration_ops.is_service_role() THEN
    RETURN;
  END IF;
  v_claims := integration_ops.jwt_claims();
  v_sub := coalesce(v_claims OPERATOR(pg_catalog.->>) 'sub',
                    nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''));
  IF integration_ops.uuid_or_null(v_sub) IS NULL THEN
    PERFORM integration_ops.raise_error('not_authenticated',
      'This call needs a signed-in user: the request carries no valid sub claim.');
  END IF;
  v_org := v_claims OPERATOR(pg_catalog.->>) 'org_id';
  IF v_org IS NOT NULL AND integration_ops.uuid_or_null(v_org) IS NULL THEN
    PERFORM integration_ops.raise_error('not_authenticated',
      'The request''s org_id claim is not a uuid.');
  END IF;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.require_caller() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.require_caller() IS
  'Raise not_authenticated unless the database role service_role is in effect or the claims carry a valid sub (and any org_id claim is a uuid).';

COMMIT;
