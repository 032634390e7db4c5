-- Verify integration-sync:trigger_organization_integrations_delivery on pg
BEGIN;
SELECT 1 / COUNT(*) FROM pg_catalog.pg_trigger
 WHERE tgrelid = 'public.organization_integrations'::regclass AND tgname = 'organization_integrations_delivery';
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_proc
 WHERE oid = 'integration_ops.check_delivery()'::regprocedure
   AND proconfig @> ARRAY['search_path=pg_catalog, pg_temp'];
ROLLBACK;
