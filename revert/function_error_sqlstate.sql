-- Revert integration-sync:function_error_sqlstate from pg: restore the 0.2 definition
-- (created by function_raise_error@v0.1.0), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.error_sqlstate(code text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = ''
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
REVOKE ALL ON FUNCTION integration_ops.error_sqlstate(text) FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.error_sqlstate(text) IS
  'The PostgREST SQLSTATE (PTxxx) of a contract error code (DESIGN §6); NULL for an unknown code.';

COMMIT;
