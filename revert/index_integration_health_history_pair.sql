-- Revert integration-sync:index_integration_health_history_pair from pg
-- Nothing to undo: the index integration_health_history_pair_idx was created by
-- table_integration_health_history's released script and rebuilt covering by
-- index_integration_health_history_trend's, so it is part of the state before this change,
-- which only took over its definition. Reverting index_integration_health_history_trend
-- past its release rebuilds it without the included columns.
BEGIN;
SET LOCAL lock_timeout = '5s';
COMMIT;
