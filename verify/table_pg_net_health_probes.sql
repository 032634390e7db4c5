-- Verify integration-sync:table_pg_net_health_probes on pg
BEGIN;
SELECT org_id, integration_type, stage, url, degraded_latency_ms, first_timeout_ms, timeout_ms,
       net_request_id, sent_at, created_at
  FROM integration_ops.pg_net_health_probes WHERE false;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_class
 WHERE oid = 'integration_ops.pg_net_health_probes'::regclass AND relrowsecurity;
SELECT 1/(pg_catalog.has_table_privilege('service_role', 'integration_ops.pg_net_health_probes', 'SELECT') IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('service_role', 'integration_ops.pg_net_health_probes', 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('integration_worker', 'integration_ops.pg_net_health_probes', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('authenticated', 'integration_ops.pg_net_health_probes', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')) IS TRUE)::int;
SELECT 1/((NOT pg_catalog.has_table_privilege('anon', 'integration_ops.pg_net_health_probes', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')) IS TRUE)::int;
ROLLBACK;
