-- Verify integration-sync:table_engine_stats on pg
BEGIN;
SELECT id, computed_at, stats FROM integration_ops.engine_stats WHERE false;
SELECT 1/has_table_privilege('service_role', 'integration_ops.engine_stats', 'SELECT')::int;
SELECT 1/(NOT has_table_privilege('service_role', 'integration_ops.engine_stats', 'UPDATE'))::int;
SELECT 1/(NOT has_table_privilege('authenticated', 'integration_ops.engine_stats', 'SELECT'))::int;
SELECT 1/(NOT has_table_privilege('anon', 'integration_ops.engine_stats', 'SELECT'))::int;
SELECT 1/(NOT has_table_privilege('integration_worker', 'integration_ops.engine_stats', 'SELECT'))::int;
ROLLBACK;
