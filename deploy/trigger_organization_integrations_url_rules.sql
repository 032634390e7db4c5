-- Deploy integration-sync:trigger_organization_integrations_url_rules to pg
-- requires: function_check_integration_urls
-- 0.3 (issue 21): the URL rules on every write of a pair's URLs (DESIGN §13).
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_url_rules ON public.organization_integrations;
CREATE TRIGGER organization_integrations_url_rules
  BEFORE INSERT OR UPDATE OF endpoint_url, warmup_url, health_config ON public.organization_integrations
  FOR EACH ROW
  EXECUTE FUNCTION integration_ops.check_integration_urls();
COMMIT;
