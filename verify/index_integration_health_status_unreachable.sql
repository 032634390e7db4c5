-- Verify integration-sync:index_integration_health_status_unreachable on pg
BEGIN;
SELECT 1/COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'public' AND indexname = 'integration_health_status_unreachable_idx'
   AND indexdef LIKE '%(consecutive_failures DESC, org_id, integration_type)%'
   AND indexdef LIKE '%WHERE (status = ''unreachable''::text)%';
ROLLBACK;
