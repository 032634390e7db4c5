-- Verify integration-sync:table_alerts_outcome_kinds on pg
BEGIN;
SELECT 1/(pg_catalog.pg_get_constraintdef(oid) LIKE '%retries_exhausted%' AND pg_catalog.pg_get_constraintdef(oid) LIKE '%lagging%')::int
  FROM pg_catalog.pg_constraint
 WHERE conrelid = 'integration_ops.alerts'::regclass AND conname = 'alerts_kind_check';
ROLLBACK;
