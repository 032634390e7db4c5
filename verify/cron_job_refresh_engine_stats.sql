-- Verify integration-sync:cron_job_refresh_engine_stats on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_refresh_engine_stats' AND schedule = '* * * * *'
   AND command = 'SELECT integration_ops.refresh_engine_stats()';
ROLLBACK;
