-- Revert integration-sync:table_pg_net_health_probes from pg
BEGIN;
SET LOCAL lock_timeout = '5s';
DROP TABLE IF EXISTS integration_ops.pg_net_health_probes;
COMMIT;
