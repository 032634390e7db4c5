-- Deploy integration-sync:function_require_configured_integration to pg
-- requires: function_require_integration
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_require_integration. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_configured_integration(org_id uuid, integration_type text)
RETURNS void
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION integration_ops.require_configured_integration(uuid, text) IS
  'Raise integration_not_configured unless the org has an enabled integration of the type.';

COMMIT;
