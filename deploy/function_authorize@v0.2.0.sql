-- Deploy integration-sync:function_authorize to pg
-- requires: function_authorize@v0.1.0 function_claim_helpers function_org_role function_raise_error
-- The checks every RPC runs, in DESIGN §6 order: not_authenticated, (the RPC's own
-- invalid_argument checks), org_scope_violation, permission_denied.
--
-- 0.2 (issue 14):
-- * service_role is the database role in effect (integration_ops.is_service_role), never
--   a claim;
-- * claims that are not a JSON object, a sub that is not a uuid, or an org_id claim that
--   is present but not a uuid give not_authenticated (never 22P02/22P05);
-- * one parse of the claims per check: these two functions are the floor of every per-org
--   RPC (issue 16). They run inside the package's SECURITY DEFINER RPCs (search_path '')
--   and nobody else may execute them, so they carry no SET clause of their own.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_caller()
RETURNS void
LANGUAGE plpgsql
STABLE
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

CREATE OR REPLACE FUNCTION integration_ops.require_org_access(
  target_org_id uuid,
  allowed_roles text[],
  allow_global_admin boolean
)
RETURNS void
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
  v_claims jsonb;
  v_sub text;
  v_org_text text;
  v_org uuid;
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
  v_org_text := v_claims OPERATOR(pg_catalog.->>) 'org_id';
  v_org := integration_ops.uuid_or_null(v_org_text);
  IF v_org IS NULL AND v_org_text IS NOT NULL THEN
    PERFORM integration_ops.raise_error('not_authenticated',
      'The request''s org_id claim is not a uuid.');
  END IF;
  IF allow_global_admin
     AND (v_claims OPERATOR(pg_catalog.->>) 'user_role') OPERATOR(pg_catalog.=) 'global_admin' THEN
    RETURN;
  END IF;
  IF v_org IS NULL OR v_org OPERATOR(pg_catalog.<>) target_org_id OR target_org_id IS NULL THEN
    PERFORM integration_ops.raise_error('org_scope_violation',
      'The org_id argument is not the org this session acts for (JWT org_id).');
  END IF;
  IF NOT coalesce(integration_ops.org_role(target_org_id) OPERATOR(pg_catalog.=) ANY (allowed_roles), false) THEN
    PERFORM integration_ops.raise_error('permission_denied',
      pg_catalog.format('This call needs one of the org roles %s.',
                        pg_catalog.array_to_string(allowed_roles, ', ')));
  END IF;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.require_caller() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.require_org_access(uuid, text[], boolean) FROM PUBLIC;

COMMENT ON FUNCTION integration_ops.require_caller() IS
  'Raise not_authenticated unless the database role service_role is in effect or the claims carry a valid sub (and any org_id claim is a uuid).';
COMMENT ON FUNCTION integration_ops.require_org_access(uuid, text[], boolean) IS
  'Raise not_authenticated (no valid sub, malformed org_id claim), then org_scope_violation / permission_denied, unless the caller may act on target_org_id with one of allowed_roles (service_role always; global admins when allowed).';

COMMIT;
