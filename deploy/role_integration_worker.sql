-- Deploy integration-sync:role_integration_worker to pg
-- requires: schema_integration_ops
-- NOLOGIN role the worker's login is granted; it may execute only the worker RPCs.
BEGIN;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'integration_worker') THEN
    CREATE ROLE integration_worker NOLOGIN NOINHERIT;
  END IF;
END
$$;
COMMENT ON ROLE integration_worker IS
  'Integration sync worker: EXECUTE on the worker RPCs in integration_ops only.';
GRANT USAGE ON SCHEMA integration_ops TO integration_worker;
COMMIT;
