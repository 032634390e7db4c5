-- Deploy integration-sync:function_lock_type_cap to pg
-- requires: schema_integration_ops
-- 0.3 (issue 22, DESIGN §13 flow control): the lock that serialises the paths starting runs
-- of one capped integration type (the worker's claim and the pg_net send), so that each
-- counts the type's runs in flight after the previous one's have turned running and the
-- cap holds with any number of workers. Uncapped types never take it; a capped type's
-- claims never wait for another type's.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.lock_type_cap(integration_type text)
RETURNS void
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('integration_sync:cap:' || lock_type_cap.integration_type, 0));
END
$$;

REVOKE ALL ON FUNCTION integration_ops.lock_type_cap(text) FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.lock_type_cap(text) IS
  'Internal: transaction lock of a capped integration type, taken by the paths that start its runs (claim, pg_net send) before they count its runs in flight.';

COMMIT;
