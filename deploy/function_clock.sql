-- Deploy integration-sync:function_clock to pg
-- requires: function_clock@v0.2.0
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- The engine's clock. Every timestamp the sync engine writes or compares (schedules,
-- dispatch, claims, heartbeats, finishes, the reaper, archival, the rate limit) is read
-- through this one function, so the stateful property test can travel in time: it
-- replaces the function in a throwaway database it owns. In every real database it is
-- plain now() (the transaction's start time); verify checks that it still is.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.clock()
RETURNS timestamptz
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN pg_catalog.now();
END
$$;

REVOKE ALL ON FUNCTION integration_ops.clock() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.clock() TO service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.clock() IS
  'The sync engine''s clock: now(). Only the property test''s throwaway database replaces it.';

COMMIT;
