-- Verify integration-sync:cron_job_reconcile_pg_net_responses on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_reconcile_pg_net_responses' AND schedule = '* * * * *' AND command = 'SELECT integration_ops.reconcile_pg_net_responses()';
ROLLBACK;
