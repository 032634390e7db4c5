-- Verify integration-sync:index_organization_integrations_pg_net on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'public' AND indexname = 'organization_integrations_pg_net_idx'
   AND indexdef LIKE '%WHERE (delivery = ''pg_net''::text)%';
ROLLBACK;
