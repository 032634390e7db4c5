-- Deploy integration-sync:function_clock to pg
-- requires: schema_integration_ops
-- The engine's clock. Every timestamp the sync engine writes or compares (schedules,
-- dispatch, claims, heartbeats, finishes, the reaper, archival, the rate limit) is read
-- through this one function, so the stateful property test can travel in time: it
-- replaces the function in a throwaway database it owns. In every real database it is
-- plain now() (the transaction's start time); verify checks that it still is.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.clock()
RETURNS timestamptz
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$ SELECT pg_catalog.now() $$;

REVOKE ALL ON FUNCTION integration_ops.clock() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.clock() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.clock() IS
  'The sync engine''s clock: now(). Only the property test''s throwaway database replaces it.';

COMMIT;
