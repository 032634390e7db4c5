-- Deploy integration-sync:function_package_version to pg
-- requires: schema_integration_ops role_integration_worker
-- 0.3 (issue 21, DESIGN §13): the release this database runs, for the worker's version
-- handshake: a worker that needs a newer database exits (code 2) before it claims anything,
-- naming the fix (`orchestrator db deploy`). Every release reworks this change with its
-- own number; a database without the function is at 0.2 or older.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.package_version()
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT '0.3.0'::text $$;

REVOKE ALL ON FUNCTION integration_ops.package_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION integration_ops.package_version() TO integration_worker, service_role;
COMMENT ON FUNCTION integration_ops.package_version() IS
  'The release of the package deployed in this database (0.3.0). Workers compare it with the release they need before they claim.';

COMMIT;
