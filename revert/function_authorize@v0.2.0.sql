-- Revert integration-sync:function_authorize from pg
-- Back to the 0.1 definitions (deploy/function_authorize@v0.1.0.sql).
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_caller()
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = ''
AS $$
BEGIN
  IF integration_ops.is_service_role() THEN
    RETURN;
  END IF;
  IF integration_ops.jwt_sub() IS NULL THEN
    PERFORM integration_ops.raise_error('not_authenticated',
      'This call needs a signed-in user: the request carries no valid sub claim.');
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
SET search_path = ''
AS $$
BEGIN
  IF integration_ops.is_service_role() THEN
    RETURN;
  END IF;
  IF allow_global_admin AND integration_ops.is_global_admin() THEN
    RETURN;
  END IF;
  IF integration_ops.jwt_org_id() IS DISTINCT FROM target_org_id THEN
    PERFORM integration_ops.raise_error('org_scope_violation',
      'The org_id argument is not the org this session acts for (JWT org_id).');
  END IF;
  IF NOT coalesce(integration_ops.org_role(target_org_id) = ANY (allowed_roles), false) THEN
    PERFORM integration_ops.raise_error('permission_denied',
      format('This call needs one of the org roles %s.', array_to_string(allowed_roles, ', ')));
  END IF;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.require_caller() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.require_org_access(uuid, text[], boolean) FROM PUBLIC;

COMMENT ON FUNCTION integration_ops.require_caller() IS
  'Raise not_authenticated unless the caller is service_role or carries a valid sub claim.';
COMMENT ON FUNCTION integration_ops.require_org_access(uuid, text[], boolean) IS
  'Raise org_scope_violation / permission_denied unless the caller may act on target_org_id with one of allowed_roles (service_role always; global admins when allowed).';

COMMIT;
