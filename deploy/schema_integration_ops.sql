-- Deploy integration-sync:schema_integration_ops to pg
-- The package's private schema: helpers, worker RPCs, settings, membership, audit.
-- Not listed in PostgREST's exposed schemas, so nothing here is reachable over HTTP.
BEGIN;

CREATE SCHEMA IF NOT EXISTS integration_ops;
REVOKE ALL ON SCHEMA integration_ops FROM PUBLIC;
-- authenticated needs USAGE only because RLS policies call the claim helpers here;
-- each function still grants EXECUTE one by one.
GRANT USAGE ON SCHEMA integration_ops TO authenticated, service_role;
COMMENT ON SCHEMA integration_ops IS
  'Integration sync & health: private helpers, worker RPCs, settings and audit. Do not expose through PostgREST.';

COMMIT;
