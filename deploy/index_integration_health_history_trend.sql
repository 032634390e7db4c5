-- Deploy integration-sync:index_integration_health_history_trend to pg
-- requires: index_integration_health_history_trend@v0.2.0 index_integration_health_history_pair table_integration_health_history
-- 0.3 (issue 25): one object, one change. This change names no object of its own: in 0.2
-- it rebuilt integration_health_history_pair_idx covering (status, latency_ms) and set the
-- history table's autovacuum scale factors (deploy/index_integration_health_history_trend@v0.2.0.sql,
-- frozen; a deploy runs it first). The index is defined by index_integration_health_history_pair
-- now, the table's settings by table_integration_health_history; nothing is left here.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
