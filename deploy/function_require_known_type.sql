-- Deploy integration-sync:function_require_known_type to pg
-- requires: function_require_integration
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_require_integration. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.require_known_type(integration_type text)
RETURNS void
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION integration_ops.require_known_type(text) IS
  'Raise unknown_integration_type unless the type is in the allowlist (integration_types).';

COMMIT;
