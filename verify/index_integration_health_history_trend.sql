-- Verify integration-sync:index_integration_health_history_trend on pg
BEGIN;
-- The key (org_id, integration_type, checked_at DESC, id DESC) with status and latency_ms included.
SELECT 1 / COUNT(*) FROM pg_catalog.pg_index AS i
 WHERE i.indexrelid = 'public.integration_health_history_pair_idx'::regclass
   AND i.indnkeyatts = 4 AND i.indnatts = 6
   AND pg_catalog.pg_get_indexdef(i.indexrelid) LIKE
       '%(org_id, integration_type, checked_at DESC, id DESC) INCLUDE (status, latency_ms)';
SELECT 1 / COUNT(*) FROM pg_catalog.pg_class AS c
 WHERE c.oid = 'public.integration_health_history'::regclass
   AND c.reloptions @> ARRAY['autovacuum_vacuum_insert_scale_factor=0.02'];
-- 0.3 (issue 25): what this change created until 0.2 is there, defined by its own change.
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.integration_health_history_pair_idx'::regclass AND indisvalid;
ROLLBACK;
