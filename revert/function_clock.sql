-- Revert integration-sync:function_clock from pg: restore the 0.2 definition
-- (created by function_clock), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.clock()
RETURNS timestamptz
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$ SELECT pg_catalog.now() $$;

REVOKE ALL ON FUNCTION integration_ops.clock() FROM PUBLIC;
REVOKE ALL ON FUNCTION integration_ops.clock() FROM anon, authenticated;
GRANT EXECUTE ON FUNCTION integration_ops.clock() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.clock() IS
  'The sync engine''s clock: now(). Only the property test''s throwaway database replaces it.';

COMMIT;
