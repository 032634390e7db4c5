-- Verify integration-sync:table_alerts on pg
BEGIN;
SELECT id, kind, org_id, integration_type, run_id, detail, first_seen, last_seen, resolved_at, notified_at
  FROM integration_ops.alerts WHERE false;
SELECT 1/COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'integration_ops' AND indexname = 'alerts_one_open_per_pair' AND indexdef LIKE '%UNIQUE%WHERE (resolved_at IS NULL)%';
SELECT 1/COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'integration_ops' AND indexname = 'alerts_open_recent_idx';
SELECT 1/COUNT(*) FROM pg_catalog.pg_indexes
 WHERE schemaname = 'integration_ops' AND indexname = 'alerts_open_failures_idx';
SELECT 1/has_table_privilege('service_role', 'integration_ops.alerts', 'SELECT')::int;
SELECT 1/(NOT has_table_privilege('service_role', 'integration_ops.alerts', 'DELETE'))::int;
SELECT 1/(NOT has_table_privilege('authenticated', 'integration_ops.alerts', 'SELECT'))::int;
SELECT 1/(NOT has_table_privilege('anon', 'integration_ops.alerts', 'SELECT'))::int;
SELECT 1/(NOT has_table_privilege('integration_worker', 'integration_ops.alerts', 'SELECT'))::int;
ROLLBACK;
