-- Verify integration-sync:cron_job_dispatch_due_syncs on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_dispatch_due_syncs' AND schedule = '* * * * *'
   AND command = 'CALL integration_ops.dispatch_all_due_syncs()';
ROLLBACK;
