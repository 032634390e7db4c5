-- Verify integration-sync:cron_job_reap_stale_sync_runs on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_reap_stale_sync_runs' AND schedule = '*/5 * * * *' AND command = 'SELECT integration_ops.reap_stale_sync_runs()';
ROLLBACK;
