-- Revert integration-sync:function_check_delivery from pg: restore the 0.2 definition
-- (created by trigger_organization_integrations_delivery), its privileges and comment.
BEGIN;
SET LOCAL lock_timeout = '5s';

CREATE OR REPLACE FUNCTION integration_ops.check_delivery()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
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
REVOKE ALL ON FUNCTION integration_ops.check_delivery() FROM anon, authenticated, service_role, integration_worker;
COMMENT ON FUNCTION integration_ops.check_delivery() IS
  'Trigger: refuse delivery = pg_net (invalid_argument) when pg_net is not installed or the row has no endpoint_url.';

COMMIT;
