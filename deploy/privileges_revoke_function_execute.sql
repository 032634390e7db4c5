-- Deploy integration-sync:privileges_revoke_function_execute to pg
-- requires: privileges_revoke_function_execute@v0.1.0
--
-- 0.2 (issue 14): the deploy changes nothing outside the package's own objects.
-- Release 0.1 ran `ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC` with
-- no schema: every function the deploying role (Supabase's postgres) created later, in any
-- schema, lost PUBLIC EXECUTE. It cannot be narrowed to the package's schemas: Postgres
-- adds per-schema default privileges to the database-wide ones and a per-schema REVOKE
-- cannot take away what the built-in default grants. So this change gives the
-- database-wide default back (exactly the inverse of the 0.1 statement) and the package
-- relies on what every function already does: REVOKE ALL ... FROM PUBLIC (plus anon and
-- authenticated in public) and explicit GRANTs (tests/pgtap/test_foundation.sql checks it).
-- If you had revoked PUBLIC EXECUTE database-wide yourself before installing 0.1, see
-- docs/supabase.md ("What the deploy changes in your database").
BEGIN;
SET LOCAL lock_timeout = '5s';
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
COMMIT;
