-- Deploy integration-sync:function_require_integration to pg
-- requires: function_require_integration@v0.1.0 function_raise_error
-- The allowlist and configuration checks every RPC shares (DESIGN §6 codes
-- unknown_integration_type, then integration_not_configured).
--
-- 0.2 (issue 14): the unknown type is echoed through error_excerpt (at most 100
-- characters): a 1 MB integration_type no longer comes back in a 1 MB DETAIL.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_known_type(integration_type text)
RETURNS void
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM public.integration_types AS t
                  WHERE t.integration_type = require_known_type.integration_type) THEN
    PERFORM integration_ops.raise_error('unknown_integration_type',
      format('Integration type "%s" is not in the allowlist (integration_types).',
             integration_ops.error_excerpt(require_known_type.integration_type)));
  END IF;
END
$$;

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

REVOKE ALL ON FUNCTION integration_ops.require_known_type(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.require_configured_integration(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.require_known_type(text) IS
  'Raise unknown_integration_type unless the type is in the allowlist (integration_types).';
COMMENT ON FUNCTION integration_ops.require_configured_integration(uuid, text) IS
  'Raise integration_not_configured unless the org has an enabled integration of the type.';

COMMIT;
