-- Revert integration-sync:cron_job_reconcile_pg_net_responses from pg: the 0.2 command
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT cron.schedule('integration_reconcile_pg_net_responses', '* * * * *', 'SELECT integration_ops.reconcile_pg_net_responses()');
COMMIT;
