-- Revert integration-sync:function_require_configured_integration from pg: restore the 0.2 definition
-- (created by function_require_integration), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_configured_integration(org_id uuid, integration_type text)
RETURNS void
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM public.organization_integrations AS oi
                  WHERE oi.org_id = require_configured_integration.org_id
                    AND oi.integration_type = require_configured_integration.integration_type
                    AND oi.enabled) THEN
    PERFORM integration_ops.raise_error('integration_not_configured',
      'The org has no enabled integration of this type.');
  END IF;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.require_configured_integration(uuid,text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.require_configured_integration(uuid,text) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.require_configured_integration(uuid, text) IS
  'Raise integration_not_configured unless the org has an enabled integration of the type.';

COMMIT;
