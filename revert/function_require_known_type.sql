-- Revert integration-sync:function_require_known_type from pg: restore the 0.2 definition
-- (created by function_require_integration), its privileges and comment.
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

REVOKE ALL ON FUNCTION integration_ops.require_known_type(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.require_known_type(text) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.require_known_type(text) IS
  'Raise unknown_integration_type unless the type is in the allowlist (integration_types).';

COMMIT;
