-- Verify integration-sync:index_sync_run_log_claim on pg
BEGIN;
SELECT 1/(pg_catalog.count(*))::int FROM pg_catalog.pg_index
 WHERE indexrelid = 'public.sync_run_log_claim_idx'::regclass AND indisvalid
   AND pg_catalog.pg_get_expr(indpred, indrelid) LIKE '%pending%';
ROLLBACK;
