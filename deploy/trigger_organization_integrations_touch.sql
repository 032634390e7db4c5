-- Deploy integration-sync:trigger_organization_integrations_touch to pg
-- requires: table_organization_integrations function_touch_updated_at
-- 0.3 (issue 25): one object, one change. Until 0.2 the trigger
-- organization_integrations_touch was created by table_organization_integrations
-- (deploy/table_organization_integrations@v0.2.0.sql); this is its released definition, so
-- a database that has it keeps it as it is.
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TRIGGER IF EXISTS organization_integrations_touch ON public.organization_integrations;
CREATE TRIGGER organization_integrations_touch
  BEFORE UPDATE ON public.organization_integrations
  FOR EACH ROW EXECUTE FUNCTION integration_ops.touch_updated_at();
COMMIT;
