-- Deploy integration-sync:function_error_sqlstate to pg
-- requires: function_raise_error@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- function_raise_error. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.error_sqlstate(code text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE code
    WHEN 'not_authenticated' THEN 'PT401'
    WHEN 'permission_denied' THEN 'PT403'
    WHEN 'org_scope_violation' THEN 'PT403'
    WHEN 'unknown_integration_type' THEN 'PT400'
    WHEN 'invalid_argument' THEN 'PT400'
    WHEN 'integration_not_configured' THEN 'PT404'
    WHEN 'run_not_found' THEN 'PT404'
    WHEN 'sync_already_in_progress' THEN 'PT409'
    WHEN 'invalid_transition' THEN 'PT409'
    WHEN 'rate_limited' THEN 'PT429'
  END
$$;

REVOKE ALL ON FUNCTION integration_ops.error_sqlstate(text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.error_sqlstate(text) IS
  'The PostgREST SQLSTATE (PTxxx) of a contract error code (DESIGN §6); NULL for an unknown code.';

COMMIT;
