-- Verify integration-sync:cron_job_pg_net_health_checks on pg
BEGIN;
SELECT 1/COUNT(*) FROM cron.job
 WHERE jobname = 'integration_pg_net_health_checks' AND active AND schedule = '* * * * *'
   AND command LIKE '%record_pg_net_health_checks()%send_pg_net_health_checks()%';
ROLLBACK;
