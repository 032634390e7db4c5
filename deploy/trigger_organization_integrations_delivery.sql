-- Deploy integration-sync:trigger_organization_integrations_delivery to pg
-- requires: trigger_organization_integrations_delivery@v0.2.0 function_check_delivery
-- 0.3 (issue 25): one object, one change. Until 0.2 this change also created what the
-- changes named after each object define now:
--   function integration_ops.check_delivery -> function_check_delivery
-- The released scripts: deploy/trigger_organization_integrations_delivery@v0.2.0.sql
-- (frozen); a deploy runs them first, so every object named here exists before this rework,
-- which restates only what is this change's own.
-- delivery = 'pg_net' needs pg_net (net.http_post) in this database and an endpoint_url.
BEGIN;
SET LOCAL lock_timeout = '5s';

DROP TRIGGER IF EXISTS organization_integrations_delivery ON public.organization_integrations;
CREATE TRIGGER organization_integrations_delivery
  BEFORE INSERT OR UPDATE OF delivery, endpoint_url ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.check_delivery();

COMMIT;
