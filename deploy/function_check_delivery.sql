-- Deploy integration-sync:function_check_delivery to pg
-- requires: trigger_organization_integrations_delivery
-- 0.3 (issue 21): search_path pinned to pg_catalog, pg_temp. An empty search_path still
-- searches pg_temp first for types and relations, so a caller's pg_temp domain named
-- like a type of this body would have run as the owner (DESIGN §13).
-- 0.3 (issue 25): one function, one change; until 0.2 this function was created by
-- trigger_organization_integrations_delivery. Reverting restores that definition.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.check_delivery()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NEW.delivery = 'pg_net' THEN
    IF to_regprocedure('net.http_post(text,jsonb,jsonb,jsonb,integer)') IS NULL THEN
      PERFORM integration_ops.raise_error('invalid_argument',
        'delivery pg_net needs the pg_net extension (net.http_post), which is not installed in this database.');
    END IF;
    IF NEW.endpoint_url IS NULL THEN
      PERFORM integration_ops.raise_error('invalid_argument', 'delivery pg_net needs an endpoint_url.');
    END IF;
  END IF;
  RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION integration_ops.check_delivery() FROM PUBLIC;
COMMENT ON FUNCTION integration_ops.check_delivery() IS
  'Trigger: refuse delivery = pg_net (invalid_argument) when pg_net is not installed or the row has no endpoint_url.';

COMMIT;
