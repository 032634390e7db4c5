-- Deploy integration-sync:trigger_organization_integrations_delivery to pg
-- requires: table_organization_integrations function_raise_error
-- delivery = 'pg_net' needs pg_net (net.http_post) in this database and an endpoint_url.
BEGIN;

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

DROP TRIGGER IF EXISTS organization_integrations_delivery ON public.organization_integrations;
CREATE TRIGGER organization_integrations_delivery
  BEFORE INSERT OR UPDATE OF delivery, endpoint_url ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.check_delivery();

COMMENT ON FUNCTION integration_ops.check_delivery() IS
  'Trigger: refuse delivery = pg_net (invalid_argument) when pg_net is not installed or the row has no endpoint_url.';

COMMIT;
