-- Verify integration-sync:cron_job_cleanup_health_history on pg
BEGIN;
SELECT 1 / COUNT(*) FROM cron.job
 WHERE jobname = 'integration_cleanup_health_history' AND schedule = '23 * * * *'
   AND command = 'CALL integration_ops.cleanup_health_history()';
SELECT 1 / (COUNT(*) = 1)::integer FROM cron.job WHERE jobname = 'integration_cleanup_health_history';
ROLLBACK;
