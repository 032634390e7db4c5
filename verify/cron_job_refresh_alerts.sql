-- Verify integration-sync:cron_job_refresh_alerts on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_refresh_alerts' AND schedule = '* * * * *' AND command = 'SELECT integration_ops.refresh_alerts()';
ROLLBACK;
